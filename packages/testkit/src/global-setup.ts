import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureRedis,
  freePort,
  repoRoot,
  startDocumentEngine,
  type DocumentEngine,
  type RedisEngine,
} from '@ies/engines';

declare global {
  var __iesEngines: { documents: DocumentEngine; redis: RedisEngine; dataDir: string } | undefined;
}

/**
 * Jest global setup: starts a FerretDB of the test run's own (free port, PostgreSQL backend on a fresh
 * database named after the run, dropped in teardown) and makes sure Redis answers. Test files find
 * them through IES_TEST_MONGO_URI, IES_TEST_POSTGRESQL_URL (that database) and IES_TEST_REDIS_URL and isolate
 * themselves by unique database names (a FerretDB database is a PostgreSQL schema) and key prefixes.
 */
export default async function globalSetup(): Promise<void> {
  const root = repoRoot(__dirname);
  const dataDir = join(root, '.cache', 'test-engines', String(process.pid));
  rmSync(dataDir, { recursive: true, force: true });
  const log = (line: string) => process.stderr.write(`[engines] ${line}\n`);
  const redisPort = Number(process.env.IES_TEST_REDIS_PORT ?? 6379);
  const redis = await ensureRedis({ port: redisPort, dataDir: join(dataDir, 'redis'), log });
  const documents = await startDocumentEngine({
    port: await freePort(),
    postgresUrl: process.env.FERRETDB_POSTGRESQL_URL,
    databaseName: `ies_test_${process.pid}_${Date.now().toString(36)}`,
    dropDatabaseOnStop: true,
    postgresDataDir: join(root, '.cache', 'test-postgresql'),
    sqliteDir: join(dataDir, 'ferretdb'),
    log,
  });
  process.env.IES_TEST_MONGO_URI = documents.uri;
  process.env.IES_TEST_POSTGRESQL_URL = documents.postgres!.databaseUrl;
  process.env.IES_TEST_REDIS_URL = `${redis.url}/${process.env.IES_TEST_REDIS_DB ?? '1'}`;
  globalThis.__iesEngines = { documents, redis, dataDir };
}
