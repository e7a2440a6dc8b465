import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const engines = globalThis.__iesEngines;
  if (!engines) return;
  await engines.documents.stop();
  await engines.redis.stop();
  rmSync(engines.dataDir, { recursive: true, force: true });
}
