import DataLoader from 'dataloader';

/** Batches lookups by `_id` into one query per request; a missing id resolves to null. */
export const loaderById = <T extends { _id: string }>(load: (ids: readonly string[]) => Promise<T[]>) =>
  new DataLoader<string, T | null>(async (ids) => {
    const found = new Map((await load(ids)).map((doc) => [doc._id, doc]));
    return ids.map((id) => found.get(id) ?? null);
  });

/**
 * Batches lookups of the documents that belong to each key (e.g. catchments of each SSM). With
 * `primes`, every document loaded is also put in that by-id loader, so a later lookup of the same
 * document in the request is not read again.
 */
export const loaderGroupedBy = <T extends object>(
  load: (keys: readonly string[]) => Promise<T[]>,
  keysOf: (doc: T) => string[],
  primes?: DataLoader<string, T | null>,
) =>
  new DataLoader<string, T[]>(async (keys) => {
    const docs = await load(keys);
    if (primes) for (const doc of docs) primes.prime(String((doc as { _id?: unknown })._id), doc);
    return keys.map((key) => docs.filter((doc) => keysOf(doc).includes(key)));
  });

/** Batches reads of one list per key (e.g. a document's amendments); a missing key resolves to []. */
export const loaderOfLists = <T>(load: (keys: readonly string[]) => Promise<Map<string, T[]>>) =>
  new DataLoader<string, T[]>(async (keys) => {
    const found = await load(keys);
    return keys.map((key) => found.get(key) ?? []);
  });
