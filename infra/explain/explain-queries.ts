/**
 * `npm run explain:queries -- [mongodb-uri]`: asks the engine behind a URI how it would run each
 * request path's query (infra/explain/request-paths.ts) and prints whether it is served by an index.
 *
 * - MongoDB (production): the winning plan's stages (IXSCAN / IDHACK / EXPRESS_* = index, COLLSCAN =
 *   whole collection). Exits 1 when a path scans its collection.
 * - FerretDB on PostgreSQL (the embedded default): whether the filter was pushed down, and whether
 *   PostgreSQL's plan uses an index (the GIN indexes of ADR 0008) or a sequential scan.
 *
 * The URI defaults to MONGODB_URI, then to the embedded FerretDB of `npm start`. Database names come
 * from the service registry (`*_DB_NAME` variables or their defaults). Run it after `npm start` has
 * created and seeded the databases, or against a production replica.
 */
import { MongoClient, type Document } from 'mongodb';
import { SERVICES } from '@ies/service-registry';
import { REQUEST_PATHS, type RequestPath } from './request-paths';

const uri =
  process.argv[2] ?? process.env.MONGODB_URI ?? `mongodb://127.0.0.1:${process.env.FERRETDB_PORT ?? 27018}/`;

type Verdict = { engine: 'mongodb' | 'ferretdb'; indexed: boolean; detail: string };

function stagesOf(plan: Document | undefined, out: Document[] = []): Document[] {
  if (!plan) return out;
  out.push(plan);
  for (const key of ['inputStage', 'queryPlan']) stagesOf(plan[key] as Document | undefined, out);
  for (const child of (plan.inputStages as Document[] | undefined) ?? []) stagesOf(child, out);
  return out;
}

function postgresNodes(plan: unknown, out: Document[] = []): Document[] {
  if (Array.isArray(plan)) plan.forEach((p) => postgresNodes(p, out));
  else if (plan && typeof plan === 'object') {
    const node = plan as Document;
    if (typeof node['Node Type'] === 'string') out.push(node);
    for (const value of Object.values(node)) if (typeof value === 'object') postgresNodes(value, out);
  }
  return out;
}

function verdict(explained: Document, ferretdb: boolean): Verdict {
  if (ferretdb) {
    const nodes = postgresNodes(explained.queryPlanner);
    const indexes = nodes.filter((n) => String(n['Node Type']).includes('Index')).map((n) => n['Index Name']);
    const pushed = explained.filterPushdown === true;
    return {
      engine: 'ferretdb',
      indexed: indexes.length > 0,
      detail: `${pushed ? 'filter pushed down' : 'no filter pushdown'}; ${
        indexes.length
          ? `index ${[...new Set(indexes)].join(', ')}`
          : nodes.map((n) => n['Node Type']).join(' > ') || 'no plan'
      }`,
    };
  }
  const stages = stagesOf((explained.queryPlanner as Document | undefined)?.winningPlan as Document);
  const names = stages.map((s) => String(s.stage));
  const indexNames = stages.map((s) => s.indexName).filter(Boolean);
  const scans = names.includes('COLLSCAN');
  return {
    engine: 'mongodb',
    indexed: !scans,
    detail: `${names.join(' > ')}${indexNames.length ? ` (${indexNames.join(', ')})` : ''}`,
  };
}

function shapes(path: RequestPath, ferretdb: boolean): Document[] {
  if (!path.batch) return [path.where ?? {}];
  const { field, values } = path.batch;
  // As findWhereIn sends it: one `$in` on MongoDB, one equality per value on FerretDB.
  return ferretdb ? [{ ...path.where, [field]: values[0] }] : [{ ...path.where, [field]: { $in: values } }];
}

async function main() {
  const client = await new MongoClient(uri, { serverSelectionTimeoutMS: 5000 }).connect();
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    const ferretdb = Boolean(info.ferretdbVersion);
    process.stdout.write(
      `engine: ${ferretdb ? `FerretDB ${info.ferretdbVersion === 'unknown' ? '(embedded build)' : info.ferretdbVersion}` : `MongoDB ${info.version}`} at ${uri}\n\n`,
    );
    const rows: string[][] = [];
    let scanning = 0;
    for (const path of REQUEST_PATHS) {
      const entry = SERVICES.find((s) => s.name === path.service)!;
      const db = client.db(process.env[entry.database.variable] ?? entry.database.defaultName);
      for (const filter of shapes(path, ferretdb)) {
        let cursor = db.collection(path.collection).find(filter);
        if (path.sort) cursor = cursor.sort(path.sort);
        if (path.limit) cursor = cursor.limit(path.limit);
        const result = verdict(await cursor.explain('queryPlanner'), ferretdb);
        if (!result.indexed) scanning++;
        rows.push([
          path.path,
          `${path.collection} ${JSON.stringify(filter)}`,
          result.indexed ? 'index' : 'SCAN',
          result.detail,
        ]);
      }
    }
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const row of rows) {
      process.stdout.write(
        `${row
          .slice(0, 3)
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')}  ${row[3]}\n`,
      );
    }
    process.stdout.write(
      `\n${rows.length - scanning} of ${rows.length} request paths are served by an index.\n`,
    );
    if (scanning > 0 && !ferretdb) process.exitCode = 1;
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`explain-queries: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
