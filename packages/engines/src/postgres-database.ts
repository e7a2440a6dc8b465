import { Client } from 'pg';

/** The URL of database `name` on the server of serverUrl (same host, port, user, options). */
export function postgresDatabaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates database `name` when it does not exist yet; returns its URL. */
export async function ensurePostgresDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
      } catch (error) {
        // Two starts racing: the other one created it.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
    // FerretDB sends every pushed-down filter as a prepared statement whose field is a parameter
    // (`_jsonb->$1 @> $2`). After five runs PostgreSQL may switch such a statement to its generic
    // plan, which cannot match the per-field GIN expression indexes (ADR 0008) and scans the whole
    // table: lookups that took a millisecond took a second on a 100k-record change log. Custom plans
    // are planned with the field known, so they use the index every time.
    await client.query(`ALTER DATABASE ${quoteIdentifier(name)} SET plan_cache_mode = force_custom_plan`);
  } finally {
    await client.end();
  }
  return postgresDatabaseUrl(serverUrl, name);
}

/** Drops database `name` if it exists, closing any connection still open on it. */
export async function dropPostgresDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
