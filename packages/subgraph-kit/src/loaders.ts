import DataLoader from 'dataloader';

/** Batches lookups by `_id` into one query per request; a missing id resolves to null. */
export const loaderById = <T extends { _id: string }>(load: (ids: readonly string[]) => Promise<T[]>) =>
  new DataLoader<string, T | null>(async (ids) => {
    const found = new Map((await load(ids)).map((doc) => [doc._id, doc]));
    return ids.map((id) => found.get(id) ?? null);
  });

/** Batches lookups of the documents that belong to each key (e.g. catchments of each SSM). */
export const loaderGroupedBy = <T>(
  load: (keys: readonly string[]) => Promise<T[]>,
  keysOf: (doc: T) => string[],
) =>
  new DataLoader<string, T[]>(async (keys) => {
    const docs = await load(keys);
    return keys.map((key) => docs.filter((doc) => keysOf(doc).includes(key)));
  });

/** Batches reads of one list per key (e.g. a document's amendments); a missing key resolves to []. */
export const loaderOfLists = <T>(load: (keys: readonly string[]) => Promise<Map<string, T[]>>) =>
  new DataLoader<string, T[]>(async (keys) => {
    const found = await load(keys);
    return keys.map((key) => found.get(key) ?? []);
  });
