import type { Connection } from 'mongoose';
import { changeLogs } from '../server';
import { CATCHMENTS, MANAGERS } from './catchment-seed';

const SEED_ACTOR = { subject: 'seed', role: 'SYSTEM' };
const SEED_REASON = 'Default data: the rollout as published (DOMAIN.md §1)';

export interface SeedResult {
  catchmentsInserted: number;
  managersInserted: number;
}

/**
 * Inserts the seed catchments and SSMs that are absent, and touches nothing that exists: a second run
 * changes nothing, and the ministry's later changes survive restarts.
 */
export async function seedCatchments(connection: Connection): Promise<SeedResult> {
  const logs = changeLogs(connection);
  const managersInserted = await logs.serviceSystemManagers.seed(
    SEED_ACTOR,
    MANAGERS.map(({ id, ...fields }) => ({ _id: id, ...fields })),
    SEED_REASON,
  );
  const catchmentsInserted = await logs.catchmentAreas.seed(
    SEED_ACTOR,
    CATCHMENTS.map(({ id, ...fields }) => ({ _id: id, ...fields, zones: [] })),
    SEED_REASON,
  );
  return { catchmentsInserted, managersInserted };
}
