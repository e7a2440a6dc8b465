import { startFerretDb, type FerretDbHandler } from './ferretdb-process';
import { dropPostgresDatabase, ensurePostgresDatabase } from './postgres-database';
import { DEFAULT_POSTGRES_URL, ensurePostgres, type PostgresEngine } from './postgres-engine';

export interface DocumentEngineOptions {
  /** FerretDB's loopback port. */
  port: number;
  /** Backend; default `postgresql`. */
  handler?: FerretDbHandler;
  /** PostgreSQL server URL (maintenance database); default postgres://postgres@127.0.0.1:5432/postgres. */
  postgresUrl?: string;
  /** PostgreSQL database holding FerretDB's data (created when absent). */
  databaseName: string;
  /** Drop that database when stopping (tests and benchmarks); default false. */
  dropDatabaseOnStop?: boolean;
  /** Folder of a private PostgreSQL cluster, used only when no server answers at postgresUrl. */
  postgresDataDir: string;
  /** Folder of the SQLite backend's files (sqlite handler). */
  sqliteDir: string;
  /**
   * FerretDB's PostgreSQL pool size (`pool_max_conns`); FerretDB's default is 50. Keep it above the
   * number of simultaneous updates: FerretDB 1.24 holds a read connection while an update waits for a
   * second one, so as many simultaneous updates as the pool has connections deadlock (ADR 0008).
   */
  maxConnections?: number;
  log?: (line: string) => void;
}

export interface DocumentEngine {
  /** MongoDB URI of FerretDB. */
  uri: string;
  pid: number;
  handler: FerretDbHandler;
  /** The server and database behind FerretDB (postgresql handler). */
  postgres: { engine: PostgresEngine; databaseName: string; databaseUrl: string } | null;
  stop(): Promise<void>;
}

/** Reads FERRETDB_HANDLER (`postgresql`, the default, or `sqlite`). */
export function ferretDbHandlerFrom(env: NodeJS.ProcessEnv = process.env): FerretDbHandler {
  const value = env.FERRETDB_HANDLER ?? 'postgresql';
  if (value !== 'postgresql' && value !== 'sqlite') {
    throw new Error(`FERRETDB_HANDLER must be postgresql or sqlite, not ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The embedded document engine: FerretDB 1.24 on PostgreSQL (the server at postgresUrl, or a private
 * one started for the purpose) with GIN indexes mirrored from declared indexes, or on SQLite when
 * asked. `stop()` stops FerretDB, drops the database when asked, and stops PostgreSQL only if it was
 * started here.
 */
export async function startDocumentEngine(options: DocumentEngineOptions): Promise<DocumentEngine> {
  const handler = options.handler ?? 'postgresql';
  const log = options.log ?? (() => {});
  if (handler === 'sqlite') {
    const ferret = await startFerretDb({ port: options.port, handler, dataDir: options.sqliteDir, log });
    return { uri: ferret.uri, pid: ferret.pid, handler, postgres: null, stop: () => ferret.stop() };
  }

  const engine = await ensurePostgres({
    url: options.postgresUrl ?? DEFAULT_POSTGRES_URL,
    dataDir: options.postgresDataDir,
    log,
  });
  const cleanups: (() => Promise<void>)[] = [() => engine.stop()];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const databaseUrl = await ensurePostgresDatabase(engine.url, options.databaseName);
    if (options.dropDatabaseOnStop)
      cleanups.push(() => dropPostgresDatabase(engine.url, options.databaseName));
    const ferretUrl = new URL(databaseUrl);
    if (options.maxConnections) ferretUrl.searchParams.set('pool_max_conns', String(options.maxConnections));
    if (isLoopback(ferretUrl.hostname) && !ferretUrl.searchParams.has('sslmode') && !process.env.PGSSLMODE) {
      // FerretDB's driver (pgx) asks for TLS whenever the server offers it (`sslmode=prefer`): on a
      // connection that never leaves the machine that is only cost, on both sides, for every query
      // (about a tenth of FerretDB's CPU under `npm run bench:events` went to TLS writes). A URL
      // that names its own `sslmode`, or a `PGSSLMODE` in the environment, keeps it.
      ferretUrl.searchParams.set('sslmode', 'disable');
    }
    const ferret = await startFerretDb({
      port: options.port,
      handler,
      postgresqlUrl: ferretUrl.toString(),
      log,
    });
    cleanups.push(() => ferret.stop());
    return {
      uri: ferret.uri,
      pid: ferret.pid,
      handler,
      postgres: { engine, databaseName: options.databaseName, databaseUrl },
      stop: runCleanups,
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

/** A host name that always means this machine. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
