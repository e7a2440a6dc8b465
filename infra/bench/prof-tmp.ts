import { connectDatabase } from '@ies/db';
import { freePort, startDocumentEngine } from '@ies/engines';
import { generateActionPlans } from '@ies/clients/src/exchange/action-plan-generator';
import { seedExchange } from '@ies/clients/src/seed/seed-clients';
import { ensureIndexes } from '@ies/clients/src/server';
import { ChangeLog } from '@ies/change-log';
import * as db from '@ies/db';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const phases = new Map<string, number>();
function wrap(obj: any, name: string, label: string) {
  const orig = obj[name];
  obj[name] = async function (...args: any[]) { const t = performance.now(); try { return await orig.apply(this, args); } finally { phases.set(label, (phases.get(label) ?? 0) + performance.now() - t); } };
}
async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'prof-'));
  const engine = await startDocumentEngine({ port: await freePort(), handler: 'postgresql', databaseName: `ies_prof_${process.pid}`, dropDatabaseOnStop: true, postgresDataDir: join(dir, 'pg'), sqliteDir: join(dir, 'sq') });
  const connection = await connectDatabase({ uri: engine.uri, dbName: 'prof' });
  await ensureIndexes(connection);
  wrap(ChangeLog.prototype, 'createMany', 'createMany');
  wrap(ChangeLog.prototype, 'change', 'change(moves)');
  wrap(ChangeLog.prototype, 'overlay', 'overlay');
  const target = seedExchange(connection);
  wrap(target.deps.directory, 'providers', 'directory');
  const lines = [...generateActionPlans({ seed: 3, scale: 0.02, set: 'full' })].slice(0, 5000);
  const t0 = performance.now();
  for (let b = 0; b < 10; b++) {
    const t = performance.now();
    await target.applyBatch(lines.slice(b * 500, b * 500 + 500).map((line, i) => ({ lineNumber: i + 1, line })));
    if (b % 3 === 2) console.log(`batch ${b}: ${(performance.now() - t).toFixed(0)} ms`);
  }
  console.log('total', (performance.now() - t0).toFixed(0), JSON.stringify([...phases].map(([k, v]) => [k, Math.round(v)])));
  await connection.close();
  await engine.stop();
}
main();
