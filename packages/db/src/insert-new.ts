import type { Model } from 'mongoose';
import { isDuplicateKeyError } from './errors';

/**
 * Inserts a document whose natural key must be new: `duplicate` when a unique index already holds
 * that key (the portable insert-if-absent), `inserted` otherwise; any other failure throws.
 */
export async function insertNew<T>(model: Model<T>, doc: object): Promise<'inserted' | 'duplicate'> {
  try {
    await model.collection.insertOne(doc as never);
    return 'inserted';
  } catch (error) {
    if (isDuplicateKeyError(error)) return 'duplicate';
    throw error;
  }
}
