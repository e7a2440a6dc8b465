import type { Model } from 'mongoose';

/**
 * Creates each model's collection and declared indexes; safe to run on every start (an existing
 * collection or index is left as it is).
 */
export async function ensureCollections(
  models: Pick<Model<unknown>, 'createCollection' | 'createIndexes'>[],
): Promise<void> {
  for (const model of models) {
    await model.createCollection().catch((error: { codeName?: string }) => {
      if (error.codeName !== 'NamespaceExists') throw error;
    });
    await model.createIndexes();
  }
}
