import type { Model } from 'mongoose';

const REFRESH_AFTER_MS = 5 * 60_000;

interface Known {
  size: number | undefined;
  at: number;
  refreshing: Promise<number | undefined> | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document model
type AnyModel = Model<any>;

const known = new WeakMap<object, Map<string, Known>>();

function entryOf(model: AnyModel): Known {
  const client = model.db.getClient();
  let sizes = known.get(client);
  if (!sizes) known.set(client, (sizes = new Map()));
  const key = `${model.db.name}.${model.collection.collectionName}`;
  let entry = sizes.get(key);
  if (!entry) sizes.set(key, (entry = { size: undefined, at: 0, refreshing: null }));
  return entry;
}

/**
 * Asks the engine how many documents a model's collection holds (`collStats`; FerretDB runs ANALYZE
 * for it) and remembers the answer for `knownCollectionSize`.
 */
export function refreshCollectionSize(model: AnyModel): Promise<number | undefined> {
  const entry = entryOf(model);
  entry.refreshing ??= model.db
    .db!.command({ collStats: model.collection.collectionName })
    .then((stats) => (entry.size = Math.max(0, Number(stats.count) || 0)))
    .catch(() => entry.size)
    .finally(() => {
      entry.at = Date.now();
      entry.refreshing = null;
    });
  return entry.refreshing;
}

/**
 * The last known number of documents in a model's collection, refreshed in the background when older
 * than 5 minutes, so the refresh is never on a request's path. Undefined until the first answer.
 */
export function knownCollectionSize(model: AnyModel): number | undefined {
  const entry = entryOf(model);
  if (!entry.refreshing && Date.now() - entry.at > REFRESH_AFTER_MS) void refreshCollectionSize(model);
  return entry.size;
}
