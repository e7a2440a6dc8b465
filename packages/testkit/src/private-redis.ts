import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRedis, freePort, type RedisEngine } from '@ies/engines';
import { uniqueName } from './engines';

/** A redis-server of one test's own, on a free port, that the test may stop and start at will. */
export interface PrivateRedis {
  url: string;
  /** Starts it (empty: it keeps nothing on disk). */
  start(): Promise<void>;
  /** Stops it; whatever it held is gone. */
  stop(): Promise<void>;
}

/**
 * A Redis for tests of Redis faults, never the shared one (which other test files use): its URL is
 * known before it runs, so a process can be started against a Redis that is down.
 */
export async function privateRedis(name: string): Promise<PrivateRedis> {
  const port = await freePort();
  const dataDir = join(tmpdir(), uniqueName(name));
  let engine: RedisEngine | null = null;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (engine) return;
      const started = await ensureRedis({ port, dataDir });
      if (!started.started) throw new Error(`port ${port} already had a Redis: not a private one`);
      engine = started;
    },
    async stop() {
      await engine?.stop();
      engine = null;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
