import type { Connection } from 'mongoose';
import { insertIfAbsent } from '@ies/db';
import { providerAgreementModel } from '../agreement/provider-agreement.model';
import { contractModel } from '../contract/contract.model';
import { PROGRAMS } from '../program/program-catalogue';
import { programModel } from '../program/program.model';
import { serviceProviderModel } from '../service-provider/service-provider.model';
import { seedNetwork } from './network-seed';

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
  return {
    programsInserted: await insertIfAbsent(programModel(connection), PROGRAMS),
    providersInserted: await insertIfAbsent(serviceProviderModel(connection), network.providers),
    contractsInserted: await insertIfAbsent(contractModel(connection), network.contracts),
    agreementsInserted: await insertIfAbsent(providerAgreementModel(connection), network.agreements),
  };
}
