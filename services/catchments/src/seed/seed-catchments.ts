import type { Connection } from 'mongoose';
import { insertIfAbsent } from '@ies/db';
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
  const managersInserted = await insertIfAbsent(
    serviceSystemManagerModel(connection),
    MANAGERS.map(({ id, ...fields }) => ({ _id: id, ...fields, version: 1, changes: [] })),
  );
  const catchmentsInserted = await insertIfAbsent(
    catchmentAreaModel(connection),
    CATCHMENTS.map(({ id, ...fields }) => ({ _id: id, ...fields, zones: [], version: 1, changes: [] })),
  );
  return { catchmentsInserted, managersInserted };
}
