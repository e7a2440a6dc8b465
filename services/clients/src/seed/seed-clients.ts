import type { Connection } from 'mongoose';
import type { CatchmentPeriods } from '@ies/catchment-read-model';
import { mutationError } from '@ies/subgraph-kit';
import { CATCHMENTS } from '@ies/catchments/src/seed/catchment-seed';
import { seedNetwork } from '@ies/contracts/src/seed/network-seed';
import { generateActionPlans } from '../exchange/action-plan-generator';
import { ActionPlanExchange } from '../exchange/action-plan-import';
import type { ActionPlanLine } from '../exchange/action-plan-line';
import { DEFAULT_OUTCOME_CONFIG } from '../outcome/outcome-config';
import { ListedProviderDirectory } from '../provider-directory/provider-directory';
import { changeLogs } from '../server';

/**
 * The sample `npm start` loads: the generator's calibrated synthetic plans for every catchment in IES
 * delivery, at 1/500 of the full volume (about 1,000 plans), so the stack stays quick. The full set is loaded with
 * `npm run generate` and `npm run import` (README, "Synthetic clients").
 */
export const SEED_SAMPLE = { seed: 1, scale: 0.002, set: 'full' as const };

export interface ClientsSeedResult {
  plansAccepted: number;
  plansUnchanged: number;
  plansRejected: number;
}

/**
 * Loads the sample through the batch import (the service's rules and change log, idempotent on CaMS
 * references): a second run changes nothing. Seeds run before the services start, so catchment
 * periods and providers come from the catchments and contracts seeds the generator also uses.
 */
export async function seedClients(connection: Connection): Promise<ClientsSeedResult> {
  const exchange = seedExchange(connection);
  const result = { plansAccepted: 0, plansUnchanged: 0, plansRejected: 0 };
  let batch: { lineNumber: number; line: ActionPlanLine }[] = [];
  let lineNumber = 0;
  const flush = async () => {
    for (const outcome of await exchange.applyBatch(batch)) {
      if (outcome.status === 'accepted') result.plansAccepted++;
      else if (outcome.status === 'unchanged') result.plansUnchanged++;
      else result.plansRejected++;
    }
    batch = [];
  };
  for (const line of generateActionPlans(SEED_SAMPLE)) {
    batch.push({ lineNumber: ++lineNumber, line });
    if (batch.length === 500) await flush();
  }
  await flush();
  return result;
}

/** The import target over the seed's own catchment periods and provider network. */
export function seedExchange(connection: Connection): ActionPlanExchange {
  const periods = new Map<string, CatchmentPeriods>(
    CATCHMENTS.map((c) => [
      c.id,
      {
        _id: c.id,
        planningStartDate: c.planningStartDate,
        transitionStartDate: c.transitionStartDate,
        iesDeliveryStartDate: c.iesDeliveryStartDate,
        ssmId: c.ssmId,
        sourceVersion: 1,
        syncedAt: new Date(0),
      },
    ]),
  );
  return new ActionPlanExchange({
    connection,
    logs: changeLogs(connection),
    directory: new ListedProviderDirectory(
      seedNetwork().providers.map((p) => ({
        id: p._id,
        organizationName: p.organizationName,
        indigenousProvider: p.indigenousProvider,
        francophoneProvider: p.francophoneProvider,
        sites: p.sites.map((s) => ({ id: s.id, catchmentId: s.catchmentId })),
      })),
    ),
    periods: {
      periodsOf: async (catchmentId, field = 'catchmentId') =>
        periods.get(catchmentId) ?? mutationError('NOT_FOUND', `No catchment ${catchmentId}`, field),
    },
    outcomeConfig: DEFAULT_OUTCOME_CONFIG,
  });
}
