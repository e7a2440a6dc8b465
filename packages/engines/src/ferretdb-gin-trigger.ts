import { Client } from 'pg';

/** Name of the event trigger (and its function) that mirrors FerretDB indexes as GIN indexes. */
export const GIN_TRIGGER_NAME = 'ies_ferretdb_gin_mirror';

/** FerretDB 1.24's per-database metadata table (one row per collection, `_jsonb->>'table'`). */
export const FERRETDB_METADATA_TABLE = '_ferretdb_database_metadata';

/**
 * The GIN index name the trigger gives to `field` of `table`: readable prefix, hash suffix, within
 * PostgreSQL's 63-byte limit and unique per schema.
 */
export const GIN_INDEX_NAME_SQL = `left(tbl, 24) || '_' || left(fld, 20) || '_' || substr(md5(tbl || '.' || fld), 1, 8) || '_gin'`;

/**
 * FerretDB 1.24 on PostgreSQL pushes a top-level equality down as `_jsonb -> 'field' @> '"value"'`,
 * which the btree expression indexes it creates for `createIndexes` cannot serve. This event trigger
 * runs after every `CREATE INDEX` in the database: for a non-GIN index on a FerretDB collection table
 * (a table listed in its schema's metadata table) whose key expressions are `(_jsonb -> 'field')`, it
 * creates `USING gin ((_jsonb -> 'field'))` for each such field, if absent. Its own GIN indexes are
 * skipped, so it does not recurse. Nested keys (`a.b`) are not pushed down by FerretDB and are left alone.
 * `fastupdate = off`: with GIN's pending list, entries of recent inserts are scanned linearly by every
 * lookup until a vacuum (up to 4 MB of them), which made a lookup by _id at 100k documents cost 13 ms
 * instead of about 3.
 */
export const GIN_TRIGGER_SQL = `
CREATE OR REPLACE FUNCTION ${GIN_TRIGGER_NAME}() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  cmd record;
  idx record;
  expr text;
  fld text;
  tbl text;
  is_collection boolean;
BEGIN
  FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    SELECT i.indexrelid, i.indrelid, i.indnatts, n.nspname, t.relname, am.amname
      INTO idx
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_am am ON am.oid = ic.relam
      JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE i.indexrelid = cmd.objid;
    CONTINUE WHEN NOT FOUND OR idx.amname = 'gin' OR idx.relname = '${FERRETDB_METADATA_TABLE}';
    CONTINUE WHEN to_regclass(format('%I.%I', idx.nspname, '${FERRETDB_METADATA_TABLE}')) IS NULL;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I WHERE _jsonb->>''table'' = $1)',
                   idx.nspname, '${FERRETDB_METADATA_TABLE}')
      INTO is_collection USING idx.relname;
    CONTINUE WHEN NOT is_collection;
    tbl := idx.relname;
    FOR col IN 1..idx.indnatts LOOP
      expr := pg_get_indexdef(idx.indexrelid, col, true);
      fld := substring(expr FROM '^\\(?_jsonb -> ''((?:[^'']|'''')*)''::text\\)?$');
      CONTINUE WHEN fld IS NULL;
      fld := replace(fld, '''''', '''');
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L)) WITH (fastupdate = off)',
                     ${GIN_INDEX_NAME_SQL}, idx.nspname, tbl, fld);
    END LOOP;
  END LOOP;
END
$fn$;
DO $do$
BEGIN
  -- Created once and then left in place: replacing the function above is atomic, while dropping and
  -- re-creating the trigger would leave a moment in which FerretDB's index DDL goes unmirrored.
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = '${GIN_TRIGGER_NAME}') THEN
    CREATE EVENT TRIGGER ${GIN_TRIGGER_NAME} ON ddl_command_end
      WHEN TAG IN ('CREATE INDEX')
      EXECUTE FUNCTION ${GIN_TRIGGER_NAME}();
  END IF;
EXCEPTION WHEN duplicate_object THEN
  NULL; -- another installer won the race
END
$do$;
`;

/**
 * Installs (or replaces) the GIN-mirroring event trigger in the PostgreSQL database FerretDB uses.
 * Needs a superuser connection (event triggers are superuser-only). Idempotent.
 */
export async function installGinIndexTrigger(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  // pgx pool settings (pool_max_conns…) in FerretDB's URL mean nothing to node-postgres.
  for (const key of [...url.searchParams.keys()]) if (key.startsWith('pool_')) url.searchParams.delete(key);
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(GIN_TRIGGER_SQL);
  } finally {
    await client.end();
  }
}
