import type { Model } from 'mongoose';

/**
 * Reads one embedded list (amendments, change records) of several documents in one query, keyed by
 * `_id`; a document without the list, or not found, maps to nothing.
 */
export async function readEmbeddedLists<T>(
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- any document model
  ids: readonly string[],
  field: string,
): Promise<Map<string, T[]>> {
  const docs = await model.find({ _id: { $in: [...ids] } }, { [field]: 1 }).lean<Record<string, unknown>[]>();
  return new Map(docs.map((doc) => [String(doc._id), (doc[field] as T[] | undefined) ?? []]));
}
