import type { Model, ProjectionType, QueryFilter } from 'mongoose';
import { engineOf } from './engine';

export interface FindWhereInOptions {
  /** Further conditions every document must meet (the caller's scope, a status…). */
  where?: Record<string, unknown>;
  projection?: Record<string, 0 | 1>;
  /** Ascending sort key of the result; applied in memory where the engine cannot sort by index. */
  sortBy?: string;
}

/**
 * The documents whose `field` equals any of `values`, shaped for an index on each engine: one `$in`
 * query on MongoDB; on FerretDB, which pushes down equality but never `$in` (so `$in` reads the whole
 * collection), one equality query per distinct value, run together. The cost is then proportional to
 * the result on both.
 */
export async function findWhereIn<T>(
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- any document model
  field: string,
  values: readonly string[],
  options: FindWhereInOptions = {},
): Promise<T[]> {
  const distinct = [...new Set(values)];
  if (distinct.length === 0) return [];
  const where = options.where ?? {};
  const projection = options.projection as ProjectionType<unknown> | undefined;
  const query = (condition: unknown) =>
    model.find(mergeConditions(where, field, condition) as QueryFilter<unknown>, projection).lean<T[]>();
  if (distinct.length === 1 || (await engineOf(model.db)) === 'ferretdb') {
    const found = withoutRepeats((await Promise.all(distinct.map((value) => query(value)))).flat());
    return options.sortBy ? sortByKey(found, options.sortBy) : found;
  }
  const found = await (options.sortBy
    ? query({ $in: distinct }).sort({ [options.sortBy]: 1 })
    : query({ $in: distinct }));
  return found;
}

/** `where` and `{ field: condition }` as one top-level object when they do not collide (FerretDB pushes down only top-level keys). */
function mergeConditions(where: Record<string, unknown>, field: string, condition: unknown) {
  return field in where ? { $and: [where, { [field]: condition }] } : { ...where, [field]: condition };
}

/** A document matching several values (an array field) comes back once per value: keep one. */
function withoutRepeats<T>(docs: T[]): T[] {
  const seen = new Set<string>();
  return docs.filter((doc) => {
    const id = String((doc as { _id?: unknown })._id);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function sortByKey<T>(docs: T[], key: string): T[] {
  const value = (doc: T) => (doc as Record<string, unknown>)[key] as string | number;
  return docs.sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : 0));
}
