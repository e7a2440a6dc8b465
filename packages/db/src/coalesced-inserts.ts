import type { Model } from 'mongoose';
import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { isDuplicateKeyError, writeErrorsOf } from './errors';
import { insertNew } from './insert-new';

/** Documents of one collection inserted in one command at most. */
export const MAX_DOCS_PER_INSERT = 100;

interface Pending {
  doc: object;
  resolve(outcome: 'inserted' | 'duplicate'): void;
  reject(error: unknown): void;
}

/**
 * `insertNew` for a collection that takes many small inserts at once (a burst of events, each stored
 * by its own caller): the inserts started in the same turn of the event loop go to the engine as one
 * unordered `insertMany` of up to `MAX_DOCS_PER_INSERT` documents, and each caller learns its own
 * document's outcome, `inserted` or `duplicate` (a unique index holds its key). On FerretDB that is one
 * transaction and one statement instead of one of each per document.
 *
 * A document the engine refuses for another reason fails only its own caller, with the engine's error
 * for it; a failure of the whole command (the connection) fails every caller of the batch, as it would
 * fail each `insertNew`.
 */
export function coalescedInserts<T>(model: Model<T>): (doc: object) => Promise<'inserted' | 'duplicate'> {
  let pending: Pending[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    for (let i = 0; i < batch.length; i += MAX_DOCS_PER_INSERT) {
      const slice = batch.slice(i, i + MAX_DOCS_PER_INSERT);
      // Whatever goes wrong in the batch itself, no caller is left waiting.
      insertBatch(model, slice).catch((error: unknown) => slice.forEach((item) => item.reject(error)));
    }
  };
  return (doc) =>
    new Promise((resolve, reject) => {
      pending.push({ doc, resolve, reject });
      if (pending.length === 1) process.nextTick(flush);
    });
}

async function insertBatch<T>(model: Model<T>, batch: Pending[]): Promise<void> {
  if (batch.length === 1) return insertNew(model, batch[0]!.doc).then(batch[0]!.resolve, batch[0]!.reject);
  try {
    await model.collection.insertMany(
      batch.map((item) => item.doc as never),
      { ordered: false },
    );
  } catch (error) {
    // Not a per-document answer (the connection failed): whether any was inserted is unknown, as it
    // would be for `insertNew`.
    if (!(error instanceof MongoBulkWriteError)) return batch.forEach((item) => item.reject(error));
    const writeErrors = writeErrorsOf(error);
    // Only per-document refusals are answers; anything else (a write-concern failure) fails them all.
    if (writeErrors.length === 0 || error.result.getWriteConcernError())
      return batch.forEach((item) => item.reject(error));
    const refused = new Map(writeErrors.map((e) => [e.index, e]));
    batch.forEach((item, i) => {
      const writeError = refused.get(i);
      if (!writeError) item.resolve('inserted');
      else if (isDuplicateKeyError(writeError)) item.resolve('duplicate');
      else
        item.reject(
          new MongoServerError({
            ...writeError.toJSON(),
            errInfo: writeError.errInfo,
            message: writeError.errmsg ?? 'insert refused',
          }),
        );
    });
    return;
  }
  batch.forEach((item) => item.resolve('inserted'));
}
