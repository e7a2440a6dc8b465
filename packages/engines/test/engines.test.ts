import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import {
  dropPostgresDatabase,
  ensurePostgres,
  ensurePostgresDatabase,
  ensureRedis,
  freePort,
  pingPostgres,
  postgresDatabaseUrl,
  startFerretDb,
} from '../src';

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
      await expect(
        startFerretDb({ port, handler: 'sqlite', dataDir: tempDir(), readyTimeoutMs: 15_000 }),
      ).rejects.toThrow(/FerretDB exited|no ping answer/);
    } finally {
      blocker.close();
    }
  });
});

describe('PostgreSQL engine', () => {
  describe('when a server already answers', () => {
    it('uses it, leaves it running, and creates and drops databases on it', async () => {
      const server = postgresDatabaseUrl(process.env.IES_TEST_POSTGRESQL_URL!, 'postgres');
      const engine = await ensurePostgres({ url: server, dataDir: tempDir() });
      expect(engine).toMatchObject({ url: server, started: false });
      const name = `ies_engines_${process.pid}_${Date.now().toString(36)}`;
      const url = await ensurePostgresDatabase(server, name);
      expect(await ensurePostgresDatabase(server, name)).toBe(url);
      expect(await pingPostgres(url)).toBe(true);
      await dropPostgresDatabase(server, name);
      expect(await pingPostgres(url)).toBe(false);
      await engine.stop();
      expect(await pingPostgres(server)).toBe(true);
    });
  });

  const canRunServer = process.getuid?.() === 0 || spawnSync('sh', ['-c', 'command -v initdb']).status === 0;
  (canRunServer ? describe : describe.skip)('when nothing answers on the port', () => {
    it('creates a private cluster, starts it there, and stops it again', async () => {
      const port = await freePort();
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      const dataDir = join(mkdtempSync(join('/tmp', 'ies-pg-')), 'cluster');
      try {
        const engine = await ensurePostgres({ url, dataDir });
        expect(engine.started).toBe(true);
        expect(await pingPostgres(url)).toBe(true);
        await engine.stop();
        expect(await pingPostgres(url)).toBe(false);
      } finally {
        rmSync(dirname(dataDir), { recursive: true, force: true });
      }
    });
  });
});
