import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { ensureFerretDbBinary } from './ferretdb-binary';
import { installGinIndexTrigger } from './ferretdb-gin-trigger';

/** FerretDB's storage backends: PostgreSQL is the default (ADR 0008), SQLite stays selectable. */
export type FerretDbHandler = 'postgresql' | 'sqlite';

export interface FerretDbOptions {
  port: number;
  /** `postgresql` (default) with `postgresqlUrl`, or `sqlite` with `dataDir`. */
  handler?: FerretDbHandler;
  /** URL of the PostgreSQL database FerretDB keeps its data in (postgresql handler). */
  postgresqlUrl?: string;
  /** Folder for the SQLite backend's files (sqlite handler). */
  dataDir?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface FerretDbProcess {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

/** Polls `ping` until the server answers or the deadline passes; a failure carries the last error. */
export async function waitForMongoPing(uri: string, timeoutMs: number, exited?: () => string | null) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const why = exited?.();
    if (why) throw new Error(why);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await client.close().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ping answer from ${uri} within ${timeoutMs} ms: ${String(lastError)}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts FerretDB on a loopback port and resolves once it answers a real `ping`. On PostgreSQL it
 * first installs the event trigger that gives every index FerretDB creates its GIN counterpart.
 */
export async function startFerretDb(options: FerretDbOptions): Promise<FerretDbProcess> {
  const log = options.log ?? (() => {});
  const binary = ensureFerretDbBinary(log);
  const handler = options.handler ?? 'postgresql';
  const args = [
    `--listen-addr=127.0.0.1:${options.port}`,
    `--handler=${handler}`,
    `--log-level=${options.logLevel ?? 'warn'}`,
  ];
  if (handler === 'sqlite') {
    if (!options.dataDir) throw new Error('the FerretDB SQLite backend needs a dataDir');
    mkdirSync(options.dataDir, { recursive: true });
    args.push(`--sqlite-url=file:${options.dataDir.replace(/\/?$/, '/')}`);
  } else {
    if (!options.postgresqlUrl) throw new Error('the FerretDB PostgreSQL backend needs a postgresqlUrl');
    await installGinIndexTrigger(options.postgresqlUrl);
    args.push(`--postgresql-url=${options.postgresqlUrl}`);
  }

  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const uri = `mongodb://127.0.0.1:${options.port}/`;
  try {
    await waitForMongoPing(uri, options.readyTimeoutMs ?? 30_000, () =>
      child.exitCode !== null ? `FerretDB exited with code ${child.exitCode}: ${stderr.trim()}` : null,
    );
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { uri, pid: child.pid!, stop: () => stopChild(child) };
}
