import type { Db, MongoClient } from 'mongodb';
import type { Client } from 'pg';
import { FERRETDB_METADATA_TABLE } from '../../src';
import { connectMongo, connectPostgres, freshDbName } from './test-databases';

/**
 * Pins what ADR 0008 relies on inside FerretDB 1.24.2 on PostgreSQL: how databases, collections and
 * indexes are laid out, that the event trigger mirrors declared indexes as GIN indexes, and which
 * filters are pushed down to PostgreSQL. A FerretDB upgrade that changes any of it fails here.
 */
describe('FerretDB 1.24 internals on PostgreSQL that ADR 0008 depends on (engine layout, not product behaviour)', () => {
  let mongo: MongoClient;
  let pg: Client;
  let db: Db;
  let dbName: string;
  let table: string;

  const ginIndexOf = async (field: string) => {
    const { rows } = await pg.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 AND indexdef LIKE '%USING gin%' AND indexdef LIKE $3`,
      [dbName, table, `%(_jsonb -> '${field}'::text)%`],
    );
    return rows.map((r) => r.indexname);
  };
  const idxScan = async (indexName: string) => {
    const { rows } = await pg.query<{ idx_scan: string }>(
      'SELECT idx_scan FROM pg_stat_user_indexes WHERE schemaname = $1 AND indexrelname = $2',
      [dbName, indexName],
    );
    return Number(rows[0]!.idx_scan);
  };

  beforeAll(async () => {
    mongo = await connectMongo();
    pg = await connectPostgres();
    dbName = freshDbName('layout');
    db = mongo.db(dbName);
    const things = db.collection<{ _id: string; providerId: string; catchmentId: string; n: number }>(
      'things',
    );
    await things.createIndexes([{ key: { providerId: 1 } }, { key: { catchmentId: 1, n: -1 } }]);
    await things.insertMany(
      Array.from({ length: 3000 }, (_, i) => ({
        _id: `d${i}`,
        providerId: `p${i % 100}`,
        catchmentId: `c${i % 60}`,
        n: i,
      })),
    );
    const { rows } = await pg.query<{ table: string }>(
      `SELECT _jsonb->>'table' AS table FROM ${pgIdent(dbName)}.${FERRETDB_METADATA_TABLE} WHERE _jsonb->>'_id' = 'things'`,
    );
    table = rows[0]!.table;
    // Fresh statistics, so the planner's choice does not depend on when autovacuum ran.
    await pg.query(`ANALYZE ${pgIdent(dbName)}.${pgIdent(table)}`);
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await mongo?.close();
    await pg?.end();
  });

  // Only where `startDocumentEngine` chooses: a PostgreSQL on this machine, no `sslmode` of its own.
  const plainByDefault = (() => {
    const url = new URL(process.env.IES_TEST_POSTGRESQL_URL ?? 'postgres://127.0.0.1/');
    return (
      /^(127\.|localhost$|\[::1\]$)/.test(url.hostname) &&
      !url.searchParams.has('sslmode') &&
      !process.env.PGSSLMODE
    );
  })();
  (plainByDefault ? it : it.skip)(
    'talks to a PostgreSQL on this machine without TLS (pgx would otherwise take it whenever offered)',
    async () => {
      const { rows } = await pg.query<{ ssl: boolean; connections: string }>(
        `SELECT s.ssl, count(*) AS connections FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
        WHERE a.application_name = 'FerretDB' AND a.datname = current_database() GROUP BY s.ssl`,
      );
      expect(rows.map((r) => [r.ssl, Number(r.connections) > 0])).toEqual([[false, true]]);
    },
  );

  it('keeps a database as a PostgreSQL schema with a metadata table', async () => {
    const { rows } = await pg.query(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2',
      [dbName, FERRETDB_METADATA_TABLE],
    );
    expect(rows).toHaveLength(1);
  });

  it('keeps a collection as a table with one jsonb column _jsonb, recorded in the metadata table', async () => {
    expect(table).toMatch(/^things_[0-9a-f]{8}$/);
    const { rows } = await pg.query(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
      [dbName, table],
    );
    expect(rows).toEqual([{ column_name: '_jsonb', data_type: 'jsonb' }]);
  });

  it('turns a declared index into a btree expression index on _jsonb -> field, recorded in the metadata', async () => {
    const { rows } = await pg.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 AND indexdef LIKE '%USING btree%' ORDER BY indexdef`,
      [dbName, table],
    );
    const defs = rows.map((r) => r.indexdef.replace(/^.* USING btree /, ''));
    expect(defs).toEqual(
      expect.arrayContaining([
        "(((_jsonb -> '_id'::text)))",
        "(((_jsonb -> 'providerId'::text)))",
        "(((_jsonb -> 'catchmentId'::text)), ((_jsonb -> 'n'::text)) DESC)",
      ]),
    );
    const meta = await pg.query<{ indexes: { name: string; pgindex: string }[] }>(
      `SELECT _jsonb->'indexes' AS indexes FROM ${pgIdent(dbName)}.${FERRETDB_METADATA_TABLE} WHERE _jsonb->>'table' = $1`,
      [table],
    );
    expect(meta.rows[0]!.indexes.map((i) => i.name).sort()).toEqual([
      '_id_',
      'catchmentId_1_n_-1',
      'providerId_1',
    ]);
  });

  it('has the event trigger create a GIN index for every key field of every declared index, _id included', async () => {
    for (const field of ['_id', 'providerId', 'catchmentId', 'n'])
      expect(await ginIndexOf(field)).toHaveLength(1);
    // Without GIN's pending list, so lookups stay fast right after bulk inserts.
    const { rows } = await pg.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 AND indexdef LIKE '%USING gin%'`,
      [dbName, table],
    );
    expect(rows.map((r) => r.indexdef)).toEqual(
      Array(4).fill(expect.stringContaining('WITH (fastupdate=off)')),
    );
  });

  it('pushes an equality on an indexed top-level field down, and PostgreSQL serves it from the GIN index', async () => {
    const things = db.collection('things');
    const plan = (await things.find({ providerId: 'p7' }).explain()) as Explained;
    expect(plan.filterPushdown).toBe(true);
    const [gin] = await ginIndexOf('providerId');
    expect(indexesIn(plan.queryPlanner.Plan)).toContain(gin);

    const before = await idxScan(gin!);
    expect(await things.find({ providerId: 'p7' }).toArray()).toHaveLength(30);
    // PostgreSQL publishes a backend's index statistics when it next goes idle (within a second):
    // wait for the counter, bounded, rather than for a fixed time.
    const deadline = Date.now() + 15_000;
    while ((await idxScan(gin!)) === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await idxScan(gin!)).toBeGreaterThan(before);
  });

  it('serves a lookup by _id from the _id GIN index', async () => {
    const plan = (await db
      .collection('things')
      .find({ _id: 'd42' as never })
      .explain()) as Explained;
    expect(plan.filterPushdown).toBe(true);
    expect(indexesIn(plan.queryPlanner.Plan)).toEqual(await ginIndexOf('_id'));
  });

  it('does not push $in, ranges, sorts or a limit with a filter down: those scan the whole table', async () => {
    const things = db.collection('things');
    const shapes = [
      things.find({ providerId: { $in: ['p7', 'p8'] } }),
      things.find({ n: { $gte: 2990 } }),
      things.find({}).sort({ n: 1 }),
      things.find({ providerId: 'p7' }).sort({ n: 1 }).limit(1),
    ];
    const plans = (await Promise.all(shapes.map((s) => s.explain()))) as Explained[];
    expect(plans.map((p) => [p.filterPushdown, p.sortPushdown, p.limitPushdown])).toEqual([
      [false, false, false],
      [false, false, false],
      [false, false, false],
      [true, false, false],
    ]);
    expect(plans.slice(0, 3).map((p) => indexesIn(p.queryPlanner.Plan))).toEqual([[], [], []]);
  });
});

interface PlanNode {
  'Index Name'?: string;
  Plans?: PlanNode[];
}
interface Explained {
  filterPushdown: boolean;
  sortPushdown: boolean;
  limitPushdown: boolean;
  queryPlanner: { Plan: PlanNode };
}
const indexesIn = (node: PlanNode): string[] => [
  ...(node['Index Name'] ? [node['Index Name']] : []),
  ...(node.Plans ?? []).flatMap(indexesIn),
];
const pgIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
