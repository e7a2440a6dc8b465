import type { Connection } from 'mongoose';
import { CATCHMENTS, MANAGERS } from '@ies/catchments/src/seed/catchment-seed';
import { DEFAULT_CATEGORIES } from '../category/category-catalogue';
import { DisputeCategoryService } from '../category/dispute-category.service';
import { disputeCategoryModel } from '../category/dispute-category.model';
import { listedPeriods } from '../common/periods-source';
import { disputeIdFor } from '../dispute/dispute-ids';
import { disputeModel } from '../dispute/dispute.model';
import { generateDisputes } from '../exchange/dispute-generator';
import { DisputeImportTarget } from '../exchange/dispute-import';
import type { DisputeLine } from '../exchange/dispute-line';
import { changeLogs } from '../server';
import { slaPolicyModel } from '../sla-policy/sla-policy.model';
import { SlaPolicyService } from '../sla-policy/sla-policy.service';
import { seedProcesses } from './seed-processes';

export const SEED_ACTOR = { subject: 'seed', role: 'SYSTEM' };

/**
 * The sample `npm start` loads: the generator's disputes for every catchment in IES delivery at 1/20
 * of the full volume (a few hundred). More with `npm run generate -- disputes` and `npm run import`.
 */
export const SEED_SAMPLE = { seed: 1, scale: 0.05 } as const;

export interface CatalogueSeedResult {
  categoriesInserted: number;
  processesInserted: number;
}

export interface DisputesSeedResult extends CatalogueSeedResult {
  disputesAccepted: number;
  disputesUnchanged: number;
  disputesRejected: number;
}

/**
 * The default category catalogue and a synthetic published process for each catchment with an SSM:
 * version 1 records of what is absent, so a second run changes nothing and later changes survive.
 */
export async function seedCatalogue(connection: Connection): Promise<CatalogueSeedResult> {
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

/**
 * Seeds the catalogue, then loads the sample through the batch import (the service's rules and change
 * log): a second run changes nothing. A sample dispute that exists is left as it is and counted
 * unchanged, even when it has changed since it was seeded (the SLA sweep escalates overdue ones, users
 * act on them): the import would refuse its line as different content. Seeds run before the services
 * start, so catchment periods and SSMs come from the catchments seed the generator also uses.
 */
export async function seedDisputes(connection: Connection): Promise<DisputesSeedResult> {
  const catalogue = await seedCatalogue(connection);
  const logs = changeLogs(connection);
  const periods = listedPeriods(
    CATCHMENTS.map((c) => ({
      _id: c.id,
      planningStartDate: c.planningStartDate,
      transitionStartDate: c.transitionStartDate,
      iesDeliveryStartDate: c.iesDeliveryStartDate,
      ssmId: c.ssmId,
    })),
  );
  const target = new DisputeImportTarget({
    disputes: disputeModel(connection),
    log: logs.disputes,
    categories: new DisputeCategoryService(disputeCategoryModel(connection), logs.categories),
    policies: new SlaPolicyService(slaPolicyModel(connection), logs.policies, periods),
    periods,
  });
  const result = { ...catalogue, disputesAccepted: 0, disputesUnchanged: 0, disputesRejected: 0 };
  let batch: { lineNumber: number; line: DisputeLine }[] = [];
  const flush = async () => {
    const existing = new Set(
      (await logs.disputes.findByIds(batch.map(({ line }) => disputeIdFor(line.reference)))).map(
        (dispute) => dispute.reference,
      ),
    );
    result.disputesUnchanged += batch.filter(({ line }) => existing.has(line.reference)).length;
    batch = batch.filter(({ line }) => !existing.has(line.reference));
    for (const outcome of await target.applyBatch(batch)) {
      if (outcome.status === 'accepted') result.disputesAccepted++;
      else if (outcome.status === 'unchanged') result.disputesUnchanged++;
      else result.disputesRejected++;
    }
    batch = [];
  };
  let lineNumber = 0;
  for (const line of generateDisputes(SEED_SAMPLE)) {
    batch.push({ lineNumber: ++lineNumber, line });
    if (batch.length === 500) await flush();
  }
  await flush();
  return result;
}
