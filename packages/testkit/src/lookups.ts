import type { Model } from 'mongoose';
import { engineOf, knownCollectionSize, lookupsPayOff } from '@ies/db';

/**
 * How many `find` commands one batched lookup of `keys` distinct values in a model's collection
 * costs (`findWhereIn`): one `$in` on MongoDB; on FerretDB, one indexed equality query per value
 * unless the collection is small enough for one scan to cost less (ADR 0008). Call
 * `refreshCollectionSize(model)` first so the size the service decides with is known.
 */
export async function lookupsFor(model: Model<any>, keys: number): Promise<number> {
  const ferretdb = (await engineOf(model.db)) === 'ferretdb';
  return ferretdb && lookupsPayOff(keys, knownCollectionSize(model)) ? keys : 1;
}
