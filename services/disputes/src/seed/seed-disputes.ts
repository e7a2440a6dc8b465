import type { Connection } from 'mongoose';
import { CATCHMENTS, MANAGERS } from '@ies/catchments/src/seed/catchment-seed';
import { DEFAULT_CATEGORIES } from '../category/category-catalogue';
import { changeLogs } from '../server';
import { seedProcesses } from './seed-processes';

export const SEED_ACTOR = { subject: 'seed', role: 'SYSTEM' };

export interface DisputesSeedResult {
  categoriesInserted: number;
  processesInserted: number;
}

/**
 * Seeds what is absent and touches nothing that exists (version 1 records through the change log), so
 * a second run changes nothing and later changes survive restarts: the default category catalogue and
 * a synthetic published process for each catchment with an SSM.
 */
export async function seedDisputes(connection: Connection): Promise<DisputesSeedResult> {
  const logs = changeLogs(connection);
  return {
    categoriesInserted: await logs.categories.seed(
      SEED_ACTOR,
      DEFAULT_CATEGORIES,
      'Default dispute categories',
    ),
    processesInserted: await logs.processes.seed(
      SEED_ACTOR,
      seedProcesses(CATCHMENTS, MANAGERS),
      'Synthetic dispute process',
    ),
  };
}
