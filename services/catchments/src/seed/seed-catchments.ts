import type { Connection } from 'mongoose';
import { catchmentAreaModel } from '../catchment-area/catchment-area.model';
import { serviceSystemManagerModel } from '../service-system-manager/service-system-manager.model';
import { CATCHMENTS, MANAGERS } from './catchment-seed';

export interface SeedResult {
  catchmentsInserted: number;
  managersInserted: number;
}

/**
 * Inserts the seed catchments and SSMs that are absent, and touches nothing that exists: a second run
 * changes nothing, and the ministry's later changes survive restarts.
 */
export async function seedCatchments(connection: Connection): Promise<SeedResult> {
  const managers = await serviceSystemManagerModel(connection).bulkWrite(
    MANAGERS.map(({ id, ...fields }) => ({
      updateOne: {
        filter: { _id: id },
        update: { $setOnInsert: { ...fields, version: 1, changes: [] } },
        upsert: true,
      },
    })),
  );
  const catchments = await catchmentAreaModel(connection).bulkWrite(
    CATCHMENTS.map(({ id, ...fields }) => ({
      updateOne: {
        filter: { _id: id },
        update: { $setOnInsert: { ...fields, zones: [], version: 1, changes: [] } },
        upsert: true,
      },
    })),
  );
  return { catchmentsInserted: catchments.upsertedCount, managersInserted: managers.upsertedCount };
}
