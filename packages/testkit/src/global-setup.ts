import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureRedis,
  freePort,
  repoRoot,
  startFerretDb,
  type FerretDbProcess,
  type RedisEngine,
} from '@ies/engines';

declare global {
  var __iesEngines: { ferret: FerretDbProcess; redis: RedisEngine; dataDir: string } | undefined;
}

/**
 * Jest global setup: starts a FerretDB of the test run's own (free port, fresh data folder) and makes
 * sure Redis answers. Test files find them through IES_TEST_MONGO_URI and IES_TEST_REDIS_URL and
 * isolate themselves by unique database names and key prefixes.
 */
export default async function globalSetup(): Promise<void> {
  const root = repoRoot(__dirname);
  const dataDir = join(root, '.cache', 'test-engines', String(process.pid));
  rmSync(dataDir, { recursive: true, force: true });
  const log = (line: string) => process.stderr.write(`[engines] ${line}\n`);
  const redisPort = Number(process.env.IES_TEST_REDIS_PORT ?? 6379);
  const redis = await ensureRedis({ port: redisPort, dataDir: join(dataDir, 'redis'), log });
  const ferret = await startFerretDb({ port: await freePort(), dataDir: join(dataDir, 'ferretdb'), log });
  process.env.IES_TEST_MONGO_URI = ferret.uri;
  process.env.IES_TEST_REDIS_URL = `${redis.url}/${process.env.IES_TEST_REDIS_DB ?? '1'}`;
  globalThis.__iesEngines = { ferret, redis, dataDir };
}
