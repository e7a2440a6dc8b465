import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Socket } from 'node:net';

export interface RedisEngine {
  url: string;
  /** True when this process started the server (and so stops it). */
  started: boolean;
  stop(): Promise<void>;
}

/** Sends PING over a raw socket; true when the answer is +PONG. */
function pingRedis(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, host, () => socket.write('PING\r\n'));
  });
}

function findRedisServer(log: (line: string) => void): string {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error('nothing answers on the Redis port and redis-server is not installed: install Redis 7');
  }
  log("installing Debian's redis-server (first run only)…");
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'redis-server']]) {
    const run = spawnSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (run.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${run.status})`);
  }
  return findRedisServer(log);
}

/**
 * Uses the Redis answering on host:port when there is one; otherwise starts one there (installing
 * Debian's redis-server when absent) and waits until it answers PING.
 */
export async function ensureRedis(options: {
  host?: string;
  port?: number;
  dataDir: string;
  log?: (line: string) => void;
  /**
   * Keep an append-only file in `dataDir` (fsync every second), so a server stopped and started again
   * on the same directory holds what it held, as a production Redis does. Off by default: a Redis
   * started here for development or tests keeps nothing on disk.
   */
  appendOnly?: boolean;
}): Promise<RedisEngine> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 6379;
  const log = options.log ?? (() => {});
  const url = `redis://${host}:${port}`;
  if (await pingRedis(host, port)) return { url, started: false, stop: async () => {} };

  const binary = findRedisServer(log);
  mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    binary,
    [
      '--bind',
      host,
      '--port',
      String(port),
      '--dir',
      options.dataDir,
      '--save',
      '',
      '--appendonly',
      options.appendOnly ? 'yes' : 'no',
      '--appendfsync',
      'everysec',
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  while (!(await pingRedis(host, port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on ${url} within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`started redis-server on ${url}`);
  return {
    url,
    started: true,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
