import { randomBytes } from 'node:crypto';

/** The engines the Jest global setup started for this run. */
export function testEngines(): { mongoUri: string; redisUrl: string } {
  const mongoUri = process.env.IES_TEST_MONGO_URI;
  const redisUrl = process.env.IES_TEST_REDIS_URL;
  if (!mongoUri || !redisUrl) {
    throw new Error(
      'test engines are not running: run the suite with `npm test` (Jest global setup starts them)',
    );
  }
  return { mongoUri, redisUrl };
}

/** A name no other test file uses: databases, key prefixes and queues are isolated by it. */
export function uniqueName(prefix: string): string {
  return `t_${prefix.replace(/[^A-Za-z0-9]/g, '_').slice(0, 30)}_${randomBytes(5).toString('hex')}`;
}

/** URL of the PostgreSQL database behind the run's FerretDB (for tests that look underneath it). */
export function testPostgresUrl(): string {
  const url = process.env.IES_TEST_POSTGRESQL_URL;
  if (!url) throw new Error('test engines are not running: run the suite with `npm test`');
  return url;
}
