import type { Connection } from 'mongoose';

export type DocumentEngine = 'mongodb' | 'ferretdb';

const known = new WeakMap<object, Promise<DocumentEngine>>();

/**
 * Which engine serves a connection, asked once per client: FerretDB answers `buildInfo` with
 * `ferretdbVersion`. Query shapes differ by engine only where FerretDB 1.24 cannot use an index
 * (docs/adr/0008): it pushes down top-level equality only, never `$in`, ranges or sorts.
 */
export function engineOf(connection: Connection): Promise<DocumentEngine> {
  const client = connection.getClient();
  let engine = known.get(client);
  if (!engine) {
    engine = connection
      .db!.admin()
      .command({ buildInfo: 1 })
      .then((info) => (info.ferretdbVersion || info.ferretdb ? 'ferretdb' : 'mongodb') as DocumentEngine);
    engine.catch(() => known.delete(client));
    known.set(client, engine);
  }
  return engine;
}
