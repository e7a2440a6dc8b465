/**
 * `npm run bench:engine`: the embedded document engine before and after ADR 0008, side by side —
 * FerretDB 1.24.2 on SQLite (the old default) and on PostgreSQL with the GIN indexes the event trigger
 * derives from declared indexes. For each collection size it bulk-loads synthetic ~1 KB documents
 * into one collection (indexes declared through mongoose on catchmentId and providerId), then times
 * representative operations through the driver and prints medians. Each engine runs on a temporary
 * folder / database of its own, removed at the end. Not a test: nothing asserts on these figures.
 *
 *   ENGINE_BENCH_SIZES=10000,100000 ENGINE_BENCH_REPS=7 npm run bench:engine
 *   ENGINE_BENCH_HANDLERS=postgresql npm run bench:engine   # one side only
 *
 * Slow cases (the SQLite full scans) repeat only while their total stays under ENGINE_BENCH_BUDGET_MS
 * (default 15000), at least once, so the 100k run finishes in minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Schema, type Connection } from 'mongoose';
import { connectDatabase } from '@ies/db';
import { freePort, startDocumentEngine, type FerretDbHandler } from '@ies/engines';

const SIZES = (process.env.ENGINE_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const REPS = Number(process.env.ENGINE_BENCH_REPS ?? 7);
const BUDGET_MS = Number(process.env.ENGINE_BENCH_BUDGET_MS ?? 15_000);
const BATCH = 1000;
const CATCHMENTS = 60;
const PROVIDERS = 500;
const STATUSES = ['ACTIVE', 'PENDING', 'CLOSED', 'SUSPENDED'];
const ALL_ENGINES: { handler: FerretDbHandler; label: string }[] = [
  { handler: 'sqlite', label: 'before: SQLite' },
  { handler: 'postgresql', label: 'after: PostgreSQL + GIN' },
];
/** ENGINE_BENCH_HANDLERS=postgresql reruns one side only (the other column shows a dash). */
const HANDLERS = (process.env.ENGINE_BENCH_HANDLERS ?? 'sqlite,postgresql').split(',');
const ENGINES = ALL_ENGINES.filter((e) => HANDLERS.includes(e.handler));

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const catchmentOf = (i: number) => `c${pad(i % CATCHMENTS, 2)}`;
const providerOf = (i: number) => `p${pad((i * 7) % PROVIDERS, 3)}`;
const FILLER = 'Client attended the employment readiness workshop and updated the action plan. '.repeat(5);

/** A synthetic agreement-like document of about 1 KB. */
function makeDoc(i: number) {
  return {
    _id: `d${pad(i, 7)}`,
    catchmentId: catchmentOf(i),
    providerId: providerOf(i),
    status: STATUSES[Math.floor(i / CATCHMENTS) % STATUSES.length]!,
    hours: i % 40,
    visits: Array.from({ length: 4 }, (_, v) => ({
      quarter: `2025Q${v + 1}`,
      clients: (i + v) % 17,
      outcome: 'EMPLOYED',
    })),
    notes: FILLER,
    version: 1,
  };
}

const recordSchema = new Schema(
  {
    _id: String,
    catchmentId: String,
    providerId: String,
    status: String,
    hours: Number,
    visits: [{ _id: false, quarter: String, clients: Number, outcome: String }],
    notes: String,
    version: Number,
  },
  { versionKey: false },
);
recordSchema.index({ catchmentId: 1 });
recordSchema.index({ providerId: 1 });

interface Timing {
  medianMs: number;
  reps: number;
  result: number;
}

async function time(run: (rep: number) => Promise<number>): Promise<Timing> {
  const samples: number[] = [];
  let result = 0;
  let spent = 0;
  while (samples.length < REPS && (samples.length === 0 || spent < BUDGET_MS)) {
    const t0 = performance.now();
    result = await run(samples.length);
    const ms = performance.now() - t0;
    samples.push(ms);
    spent += ms;
  }
  samples.sort((a, b) => a - b);
  const mid = Math.floor(samples.length / 2);
  const medianMs = samples.length % 2 ? samples[mid]! : (samples[mid - 1]! + samples[mid]!) / 2;
  return { medianMs, reps: samples.length, result };
}

async function benchOne(connection: Connection, size: number) {
  const Record = connection.model('Record', recordSchema, 'records');
  await Record.createCollection();
  await Record.createIndexes();
  const loadStarted = performance.now();
  for (let start = 0; start < size; start += BATCH) {
    const docs = Array.from({ length: Math.min(BATCH, size - start) }, (_, k) => makeDoc(start + k));
    await Record.collection.insertMany(docs as never[], { ordered: false });
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const pick = (rep: number) => (rep * 7919 + 13) % size;
  await Record.findById(makeDoc(0)._id).lean(); // connection warm-up

  const rows: [string, Timing][] = [
    [
      'findOne by _id',
      await time(async (rep) => ((await Record.findById(makeDoc(pick(rep))._id).lean()) ? 1 : 0)),
    ],
    [
      `find by catchmentId (1/${CATCHMENTS})`,
      await time(async (rep) => (await Record.find({ catchmentId: catchmentOf(rep) }).lean()).length),
    ],
    [
      `countDocuments by providerId (1/${PROVIDERS})`,
      await time((rep) => Record.countDocuments({ providerId: providerOf(pick(rep)) })),
    ],
    [
      'updateOne by _id',
      await time(
        async (rep) =>
          (
            await Record.updateOne(
              { _id: makeDoc(pick(rep + 100))._id },
              { $set: { status: 'CLOSED' }, $inc: { version: 1 } },
            )
          ).modifiedCount,
      ),
    ],
    [
      'insertOne',
      await time(async (rep) => ((await Record.collection.insertOne(makeDoc(size + rep) as never)) ? 1 : 0)),
    ],
    [
      '$match catchment + $group $sum',
      await time(
        async (rep) =>
          (
            await Record.aggregate([
              { $match: { catchmentId: catchmentOf(rep + 1) } },
              { $group: { _id: '$status', hours: { $sum: '$hours' } } },
            ])
          ).length,
      ),
    ],
  ];
  return { loadRate: size / loadSeconds, loadSeconds, rows };
}

const formatRatio = (r: number) => (r >= 10 ? r.toFixed(0) : r.toFixed(1));

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ies-engine-bench-'));
  const results = new Map<string, Map<string, Timing>>();
  const loads: string[] = [];
  console.log(
    `IES engine benchmark: FerretDB 1.24.2, ${SIZES.join(' and ')} documents of ~1 KB, median of up to ${REPS} runs (slow cases fewer, budget ${BUDGET_MS} ms); Node ${process.version}`,
  );
  try {
    for (const size of SIZES) {
      for (const { handler, label } of ENGINES) {
        const engine = await startDocumentEngine({
          port: await freePort(),
          handler,
          postgresUrl: process.env.FERRETDB_POSTGRESQL_URL,
          databaseName: `ies_engine_bench_${process.pid}`,
          dropDatabaseOnStop: true,
          postgresDataDir: join(dir, 'postgresql'),
          sqliteDir: join(dir, `sqlite-${size}`),
        });
        try {
          const connection = await connectDatabase({ uri: engine.uri, dbName: 'engine_bench' });
          try {
            const { loadRate, loadSeconds, rows } = await benchOne(connection, size);
            loads.push(
              `${size} docs, ${label}: loaded in ${loadSeconds.toFixed(1)} s (${loadRate.toFixed(0)} docs/s)`,
            );
            for (const [operation, timing] of rows) {
              const key = `${size}|${operation}`;
              if (!results.has(key)) results.set(key, new Map());
              results.get(key)!.set(label, timing);
            }
            console.error(`[bench] ${size} ${label} done`);
          } finally {
            await connection.close();
          }
        } finally {
          await engine.stop();
          rmSync(join(dir, `sqlite-${size}`), { recursive: true, force: true });
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const [before, after] = ALL_ENGINES.map((e) => e.label) as [string, string];
  const cell = (t: Timing | undefined) => (t ? `${t.medianMs.toFixed(1)} (${t.reps})` : '—');
  console.log(
    `| documents | operation | ${before} ms (runs) | ${after} ms (runs) | result (docs, count or groups) | speed-up |`,
  );
  console.log('| --------- | --------- | ------ | ------ | ------ | ------ |');
  for (const [key, byEngine] of results) {
    const [size, operation] = key.split('|');
    const b = byEngine.get(before);
    const a = byEngine.get(after);
    const ratio = a && b ? `${formatRatio(b.medianMs / a.medianMs)}×` : '—';
    console.log(`| ${size} | ${operation} | ${cell(b)} | ${cell(a)} | ${(a ?? b)!.result} | ${ratio} |`);
  }
  for (const line of loads) console.log(`- ${line}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
