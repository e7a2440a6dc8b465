/**
 * `npm run bench:import`: the action-plan batch import on the embedded engine (FerretDB 1.24.2 on
 * PostgreSQL, a database of its own, dropped at the end). It generates IMPORT_BENCH_LINES synthetic
 * plans (default 100,000; the generator's full set, streamed to a temporary NDJSON file), imports the
 * file through the clients service's import target (every rule and the change log, as
 * `npm run import` does; catchment periods and providers from the seeds, so no other service needs to
 * run), then imports it again (every line `unchanged`). It prints lines per second, elapsed time and
 * the process's peak resident memory, sampled every 250 ms, with the memory at 10% intervals of the
 * file, so a memory that grows with the file shows. Not a test: nothing asserts on these figures.
 *
 *   IMPORT_BENCH_LINES=100000 IMPORT_BENCH_BATCH=500 npm run bench:import
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase, refreshCollectionSize } from '@ies/db';
import { freePort, startDocumentEngine } from '@ies/engines';
import { countPlanned, generateActionPlans } from '@ies/clients/src/exchange/action-plan-generator';
import { formatActionPlanLine, parseActionPlanLine } from '@ies/clients/src/exchange/action-plan-line';
import { runImport } from '@ies/clients/src/exchange/import-runner';
import { actionPlanModel } from '@ies/clients/src/action-plan/action-plan.model';
import { clientModel } from '@ies/clients/src/client/client.model';
import { seedExchange } from '@ies/clients/src/seed/seed-clients';
import { ensureIndexes } from '@ies/clients/src/server';

const LINES = Number(process.env.IMPORT_BENCH_LINES ?? 100_000);
const BATCH = Number(process.env.IMPORT_BENCH_BATCH ?? 500);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function writeFile(path: string): Promise<number> {
  // The full set at a scale giving about LINES plans, cut at exactly LINES.
  const options = { seed: 42, set: 'full' as const };
  const scale = Math.min(1, (LINES / countPlanned({ ...options, scale: 1 }).total) * 1.02);
  const out = createWriteStream(path);
  let written = 0;
  for (const line of generateActionPlans({ ...options, scale })) {
    if (written === LINES) break;
    if (!out.write(`${formatActionPlanLine(line)}\n`)) await once(out, 'drain');
    written++;
  }
  out.end();
  await once(out, 'finish');
  return written;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ies-import-bench-'));
  const file = join(dir, 'plans.ndjson');
  const lines = await writeFile(file);
  console.log(
    `[bench:import] ${lines.toLocaleString()} lines, ${mb(statSync(file).size)} file, batch ${BATCH}`,
  );
  const engine = await startDocumentEngine({
    port: await freePort(),
    handler: 'postgresql',
    postgresUrl: process.env.FERRETDB_POSTGRESQL_URL,
    databaseName: `ies_import_bench_${process.pid}`,
    dropDatabaseOnStop: true,
    postgresDataDir: join(dir, 'postgresql'),
    sqliteDir: join(dir, 'sqlite'),
  });
  try {
    const connection = await connectDatabase({ uri: engine.uri, dbName: 'import_bench' });
    await ensureIndexes(connection);
    const target = seedExchange(connection);
    for (const pass of ['first import', 'second import (idempotent)']) {
      let peak = process.memoryUsage().rss;
      const samples: string[] = [];
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 250);
      let nextMark = 0.1;
      const result = await runImport({
        input: createReadStream(file),
        parse: parseActionPlanLine,
        target,
        batchSize: BATCH,
        onProgress: (counts) => {
          const done = (counts.accepted + counts.unchanged + counts.rejected) / lines;
          if (done >= nextMark) {
            samples.push(`${Math.round(nextMark * 100)}%: ${mb(process.memoryUsage().rss)}`);
            nextMark += 0.1;
          }
        },
      });
      clearInterval(sampler);
      // Sizes change what the batched lookups do (ADR 0008); refresh between passes as the service does.
      await Promise.all([
        refreshCollectionSize(clientModel(connection)),
        refreshCollectionSize(actionPlanModel(connection)),
      ]);
      const seconds = result.elapsedMs / 1000;
      console.log(
        `[bench:import] ${pass}: ${result.accepted.toLocaleString()} accepted, ${result.unchanged.toLocaleString()} unchanged, ${result.rejected.toLocaleString()} rejected in ${seconds.toFixed(1)} s (${Math.round(lines / seconds).toLocaleString()} lines/s), peak RSS ${mb(peak)}`,
      );
      console.log(`[bench:import]   RSS by progress: ${samples.join(', ')}`);
      for (const e of result.errors.slice(0, 5))
        console.log(`[bench:import]   line ${e.lineNumber}: ${e.reason}`);
    }
    await connection.close();
  } finally {
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
