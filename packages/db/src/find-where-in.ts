import type { Model, ProjectionType, QueryFilter } from 'mongoose';
import { knownCollectionSize } from './collection-size';
import { engineOf } from './engine';

export interface FindWhereInOptions {
  /** Further conditions every document must meet (the caller's scope, a status…). */
  where?: Record<string, unknown>;
  projection?: Record<string, 0 | 1>;
  /** Ascending sort key of the result; applied in memory where the engine cannot sort by index. */
  sortBy?: string;
  /**
   * `always`: equality lookups on FerretDB whatever the collection's known size, for callers that
   * grow the collection as they go (a batch import), where the size known at start misleads.
   */
  lookups?: 'auto' | 'always';
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
  const { where, distinct } = narrowed(options.where ?? {}, field, values);
  if (distinct.length === 0) return [];
  const projection = options.projection as ProjectionType<unknown> | undefined;
  const query = (condition: unknown) =>
    model.find(mergeConditions(where, field, condition) as QueryFilter<unknown>, projection).lean<T[]>();
  const ferretdb = (await engineOf(model.db)) === 'ferretdb';
  const lookups =
    distinct.length === 1 ||
    (ferretdb &&
      (options.lookups === 'always' || lookupsPayOff(distinct.length, knownCollectionSize(model))));
  if (lookups) {
    const found: T[] = [];
    for (let i = 0; i < distinct.length; i += LOOKUP_CONCURRENCY) {
      const batch = distinct.slice(i, i + LOOKUP_CONCURRENCY);
      found.push(...(await Promise.all(batch.map((value) => query(value)))).flat());
    }
    const unique = withoutRepeats(found);
    return options.sortBy ? sortByKey(unique, options.sortBy) : unique;
  }
  // MongoDB, or more values than equality lookups are worth on FerretDB: one `$in` query.
  const found = await (options.sortBy
    ? query({ $in: distinct }).sort({ [options.sortBy]: 1 })
    : query({ $in: distinct }));
  return found;
}

/** Above this many values, one `$in` query (a scan on FerretDB) is used whatever the collection's size. */
export const MAX_EQUALITY_LOOKUPS = 200;

/**
 * Whether equality lookups beat one `$in` scan on FerretDB on PostgreSQL, from measurements
 * (docs/benchmarks.md, "Batched lookups"): a lookup costs about 1 ms, a scan about 5 ms plus
 * 0.07 ms per document in the collection. A collection of unknown size is assumed large.
 */
export function lookupsPayOff(values: number, collectionSize: number | undefined): boolean {
  if (values > MAX_EQUALITY_LOOKUPS) return false;
  return collectionSize === undefined || values <= 5 + 0.07 * collectionSize;
}
/** Equality lookups sent at once. */
const LOOKUP_CONCURRENCY = 16;

/**
 * The values worth asking for, and the rest of `where`: a scope condition on the same field (`$in`
 * list or a single value, e.g. an SSM's catchments) is applied to the values here, so the query is
 * plain equality FerretDB can index, and an empty intersection asks nothing at all.
 */
function narrowed(where: Record<string, unknown>, field: string, values: readonly string[]) {
  const distinct = [...new Set(values)];
  if (!(field in where)) return { where, distinct };
  const { [field]: scope, ...rest } = where;
  if (typeof scope === 'string') return { where: rest, distinct: distinct.filter((v) => v === scope) };
  const allowed = (scope as { $in?: unknown } | null)?.$in;
  if (Array.isArray(allowed) && Object.keys(scope as object).length === 1) {
    const set = new Set(allowed.map(String));
    return { where: rest, distinct: distinct.filter((v) => set.has(v)) };
  }
  return { where, distinct };
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
