import type { Connection } from 'mongoose';
import { engineOf } from '@ies/db';

/**
 * How many `find` commands one batched lookup of `keys` distinct values costs on the engine behind
 * a connection (`findWhereIn`): one `$in` on MongoDB; one indexed equality query per value on
 * FerretDB, which never serves `$in` from an index (docs/adr/0008).
 */
export async function lookupsFor(connection: Connection, keys: number): Promise<number> {
  return (await engineOf(connection)) === 'ferretdb' ? keys : 1;
}
