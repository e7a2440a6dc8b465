import type { Model } from 'mongoose';
import { MongoBulkWriteError } from 'mongodb';
import { isDuplicateKeyError, writeErrorsOf } from './errors';

/**
 * Inserts the documents whose `_id` is not taken yet and leaves existing ones untouched; returns how
 * many were inserted. This is the portable idempotent seed: FerretDB 1.24 drops null and empty-array
 * fields from `$setOnInsert` upserts (docs/adr/0002), plain inserts keep them.
 */
export async function insertIfAbsent<T>(model: Model<T>, docs: readonly object[]): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    const inserted = await model.collection.insertMany([...docs] as never[], { ordered: false });
    return inserted.insertedCount;
  } catch (error) {
    if (error instanceof MongoBulkWriteError) {
      if (writeErrorsOf(error).every(isDuplicateKeyError)) return error.result.insertedCount;
    }
    throw error;
  }
}

/**
 * Inserts many documents in one round trip (unordered) and tells, for each, whether it was inserted
 * or refused as a duplicate key; any other failure throws.
 */
export async function insertEach<T>(
  model: Model<T>,
  docs: readonly object[],
): Promise<('inserted' | 'duplicate')[]> {
  const outcomes = docs.map(() => 'inserted' as 'inserted' | 'duplicate');
  if (docs.length === 0) return outcomes;
  try {
    await model.collection.insertMany([...docs] as never[], { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeErrors = writeErrorsOf(error);
    if (!writeErrors.every(isDuplicateKeyError)) throw error;
    for (const e of writeErrors) outcomes[e.index] = 'duplicate';
  }
  return outcomes;
}
