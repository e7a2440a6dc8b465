import type { Connection } from 'mongoose';
import { insertIfAbsent } from '@ies/db';
import { PROGRAMS } from '../program/program-catalogue';
import { programModel } from '../program/program.model';
import { serviceProviderModel } from '../service-provider/service-provider.model';
import { changeLogs } from '../server';
import { seedNetwork } from './network-seed';

const SEED_ACTOR = { subject: 'seed', role: 'SYSTEM' };

export interface SeedResult {
  programsInserted: number;
  providersInserted: number;
  contractsInserted: number;
  agreementsInserted: number;
}

/**
 * Inserts the seed programs, providers, contracts and agreements that are absent (by natural id) and
 * touches nothing that exists (`insertIfAbsent`: FerretDB 1.24 upserts drop null and empty fields): a second run inserts nothing, and later amendments survive restarts.
 */
export async function seedContracts(connection: Connection): Promise<SeedResult> {
  const network = seedNetwork();
  const logs = changeLogs(connection);
  return {
    programsInserted: await insertIfAbsent(programModel(connection), PROGRAMS),
    providersInserted: await insertIfAbsent(serviceProviderModel(connection), network.providers),
    contractsInserted: await logs.contracts.seed(SEED_ACTOR, network.contracts, 'Synthetic seed data'),
    agreementsInserted: await logs.agreements.seed(SEED_ACTOR, network.agreements, 'Synthetic seed data'),
  };
}
