import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ensureRedis, freePort, startFerretDb } from '../src';

const tempDir = () => mkdtempSync(join(tmpdir(), 'ies-engines-'));

describe('Redis engine', () => {
  describe('when nothing answers on the port', () => {
    it('starts redis-server there, answers PING, and stops it again', async () => {
      const port = await freePort();
      const engine = await ensureRedis({ port, dataDir: tempDir() });
      expect(engine).toMatchObject({ url: `redis://127.0.0.1:${port}`, started: true });
      const client = new Redis(engine.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      client.disconnect();
      await engine.stop();
      const again = await ensureRedis({ port, dataDir: tempDir() });
      expect(again.started).toBe(true);
      await again.stop();
    });
  });

  describe('when a Redis already answers', () => {
    it('uses it and leaves it running', async () => {
      const url = new URL(process.env.IES_TEST_REDIS_URL!);
      const engine = await ensureRedis({ port: Number(url.port), dataDir: tempDir() });
      expect(engine.started).toBe(false);
    });
  });
});

describe('FerretDB engine', () => {
  it('fails with the engine’s own reason when its port is taken', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await expect(startFerretDb({ port, dataDir: tempDir(), readyTimeoutMs: 15_000 })).rejects.toThrow(
        /FerretDB exited|no ping answer/,
      );
    } finally {
      blocker.close();
    }
  });
});
