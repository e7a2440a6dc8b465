import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

/** Where `npm start` and the tests look for PostgreSQL unless told otherwise (trust auth). */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface PostgresEngine {
  /** URL of the server's maintenance database (`postgres`), as given or as started. */
  url: string;
  /** True when this process started the server (and so stops it). */
  started: boolean;
  stop(): Promise<void>;
}

/** True when a PostgreSQL server accepts a connection and answers `SELECT 1` at url. */
export async function pingPostgres(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    const output = `${String(result.stderr ?? '')}${String(result.stdout ?? '')}`.trim();
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}): ${output}`);
  }
  return String(result.stdout ?? '');
}

/** Runs a PostgreSQL tool as the `postgres` OS user when we are root (PostgreSQL refuses root). */
function runAsServerUser(binary: string, args: string[]): string {
  return isRoot() ? run('runuser', ['-u', 'postgres', '--', binary, ...args]) : run(binary, args);
}

/** The bin folder holding initdb and pg_ctl: Debian's newest /usr/lib/postgresql/N/bin, or PATH. */
function findServerBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' });
  const pgCtl = which.status === 0 ? which.stdout.trim() : '';
  return pgCtl && existsSync(join(pgCtl, '..', 'initdb')) ? join(pgCtl, '..') : null;
}

function installServer(log: (line: string) => void): string {
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!isRoot() || !hasApt) {
    throw new Error(
      'nothing answers on the PostgreSQL URL and initdb/pg_ctl are not installed: install PostgreSQL 15+ ' +
        'or set FERRETDB_POSTGRESQL_URL to a server that accepts the postgres user',
    );
  }
  log("installing Debian's postgresql (first run only)…");
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql']]) {
    run('apt-get', args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  const bin = findServerBin();
  if (!bin)
    throw new Error('postgresql was installed but no initdb/pg_ctl was found under /usr/lib/postgresql');
  return bin;
}

/** Makes dataDir a PostgreSQL cluster (trust auth, superuser postgres) owned by the server user. */
function initCluster(bin: string, dataDir: string, log: (line: string) => void) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  if (isRoot()) {
    const uid = Number(run('id', ['-u', 'postgres']).trim());
    const gid = Number(run('id', ['-g', 'postgres']).trim());
    chownSync(dataDir, uid, gid);
    // PostgreSQL runs as the postgres user, which must be able to traverse every parent folder.
    for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        log(`letting the postgres user traverse ${dir} (chmod o+x)`);
        chmodSync(dir, mode | 0o001);
      }
      if (dirname(dir) === dir) break;
    }
    const reach = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-w', dataDir]);
    if (reach.status !== 0) throw new Error(`the postgres OS user cannot write to ${dataDir}`);
  }
  log(`creating a PostgreSQL cluster in ${dataDir} (first run only)…`);
  runAsServerUser(join(bin, 'initdb'), ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--encoding=UTF8']);
}

/**
 * Uses the PostgreSQL server answering at url when there is one; otherwise creates a private cluster
 * in dataDir (installing Debian's postgresql when initdb/pg_ctl are absent and we are root), starts it
 * on the URL's host and port, and waits until it answers. Only a server started here is stopped.
 */
export async function ensurePostgres(options: {
  url?: string;
  dataDir: string;
  log?: (line: string) => void;
}): Promise<PostgresEngine> {
  const url = options.url ?? DEFAULT_POSTGRES_URL;
  const log = options.log ?? (() => {});
  if (await pingPostgres(url)) return { url, started: false, stop: async () => {} };

  const parsed = new URL(url);
  const host = parsed.hostname || '127.0.0.1';
  const port = Number(parsed.port || 5432);
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new Error(`nothing answers at ${url}, and a server can only be started on this machine`);
  }
  let bin = findServerBin() ?? installServer(log);
  // Debian's package may have created and started its own cluster on the default port.
  if (await pingPostgres(url)) return { url, started: false, stop: async () => {} };
  bin = findServerBin() ?? bin;

  const dataDir = options.dataDir;
  initCluster(bin, dataDir, log);
  const logFile = join(dataDir, 'server.log');
  if (isRoot() && !existsSync(logFile)) {
    writeFileSync(logFile, '');
    chownSync(
      logFile,
      Number(run('id', ['-u', 'postgres']).trim()),
      Number(run('id', ['-g', 'postgres']).trim()),
    );
  }
  const serverOptions = `-p ${port} -c listen_addresses=${host === 'localhost' ? '127.0.0.1' : host} -c unix_socket_directories=''`;
  runAsServerUser(join(bin, 'pg_ctl'), [
    '-D',
    dataDir,
    '-l',
    logFile,
    '-o',
    serverOptions,
    '-w',
    '-t',
    '60',
    'start',
  ]);
  if (!(await pingPostgres(url, 5000))) {
    runAsServerUser(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', 'stop']);
    throw new Error(`started PostgreSQL in ${dataDir} but nothing answers at ${url}; see ${logFile}`);
  }
  log(`started PostgreSQL on ${host}:${port} (data in ${dataDir})`);
  let stopped = false;
  return {
    url,
    started: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      runAsServerUser(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    },
  };
}
