import { addDays } from '@ies/calendar';
import type { ActionPlanClient, ActionPlanLine } from './action-plan-line';
import {
  CELL_KEYS,
  resolveOptions,
  segmentsOf,
  type GeneratorOptions,
  type ResolvedOptions,
} from './generation-schedule';
import type { ReferralSource, Stream } from './prototype-calibration';
import { ReturningClients } from './returning-clients';
import { newClient } from './synthetic-client';
import { catchmentNetwork } from './synthetic-network';
import { buildPlan } from './synthetic-plan';
import { seededRandom, type Random } from './synthetic-random';

export { DEFAULT_UNTIL, MONTHLY_RATE, type GeneratedSet, type GeneratorOptions } from './generation-schedule';

/**
 * The deterministic generator of realistic, clearly synthetic action plans (issue 9). The same options
 * give the same plans, byte for byte, whenever and wherever it runs: nothing reads the clock, and each
 * catchment draws from a PRNG seeded with the seed and the catchment's id (so a subset of catchments
 * gives those catchments' plans unchanged, and the prototype set is the start of each prototype
 * catchment's full timeline).
 *
 * Counts are exact (generation-schedule.ts, prototype-calibration.ts): each segment's plans per
 * referral source and stream are dealt out in a seeded order, without replacement. The rest of a plan
 * is drawn (synthetic-plan.ts, synthetic-client.ts). About 7% of plans, once some first plan has
 * closed, are a returning client's second plan: the same client, starting at least 30 days after the
 * first closed (never two active plans, never more than two plans). Plans come out catchment by
 * catchment, by start date, so a client's earlier plan always precedes the later one.
 *
 * Generation streams: memory holds one catchment's returning-client pool (at most 5,000 clients),
 * never the data set.
 */
export const RETURNING_SHARE = 0.07;
export const RETURN_CANDIDATE_SHARE = 0.3;
export const RETURNING_POOL_CAPACITY = 5_000;
export const GENERATOR_VERSION = 'ies-clients-exchange-v1';

export interface PlannedCounts {
  total: number;
  byCatchment: Record<string, number>;
  byReferralSource: Record<ReferralSource, number>;
  byStream: Record<Stream, number>;
}

/** How many plans `generateActionPlans(options)` yields, by catchment, referral source and stream. */
export function countPlanned(options: GeneratorOptions): PlannedCounts {
  const resolved = resolveOptions(options);
  const counts: PlannedCounts = {
    total: 0,
    byCatchment: {},
    byReferralSource: { ONTARIO_WORKS: 0, ODSP: 0, SELF: 0, OTHER: 0 },
    byStream: { A: 0, B: 0, C: 0 },
  };
  for (const catchmentId of resolved.catchmentIds) {
    counts.byCatchment[catchmentId] = 0;
    for (const segment of segmentsOf(catchmentId, resolved))
      segment.cells.forEach((n, i) => {
        const [source, stream] = CELL_KEYS[i]!;
        counts.total += n;
        counts.byCatchment[catchmentId]! += n;
        counts.byReferralSource[source] += n;
        counts.byStream[stream] += n;
      });
  }
  return counts;
}

/** The plans, streamed: options are checked when iteration starts (a RangeError for a bad one). */
export function* generateActionPlans(options: GeneratorOptions): Generator<ActionPlanLine, void, undefined> {
  const resolved = resolveOptions(options);
  for (const catchmentId of resolved.catchmentIds) yield* catchmentPlans(catchmentId, resolved);
}

const serial = (n: number) => String(n).padStart(7, '0');

function* catchmentPlans(catchmentId: string, options: ResolvedOptions): Generator<ActionPlanLine> {
  const network = catchmentNetwork(catchmentId);
  const random = seededRandom(`${GENERATOR_VERSION}/${options.seed}/${catchmentId}`);
  const code = `SYN-${options.seed}-${catchmentId.toUpperCase()}`;
  const returning = new ReturningClients(RETURNING_POOL_CAPACITY);
  let clients = 0;
  let plans = 0;

  for (const segment of segmentsOf(catchmentId, options)) {
    const remaining = [...segment.cells];
    let left = remaining.reduce((a, b) => a + b, 0);
    for (const { date, count } of segment.starts) {
      for (let n = 0; n < count; n += 1) {
        const cell = dealCell(random, remaining, left);
        left -= 1;
        const [referralSource, stream] = CELL_KEYS[cell]!;
        const comesBack = returning.hasReady(date) && random.next() < RETURNING_SHARE;
        const client: ActionPlanClient = comesBack
          ? returning.take()
          : newClient(random, network, `CL-${code}-${serial(++clients)}`, date);
        const plan = buildPlan(random, network, options.until, {
          camsReference: `AP-${code}-${serial(++plans)}`,
          startedOn: date,
          referralSource,
          stream,
          client,
        });
        if (
          !comesBack &&
          plan.closedOn !== null &&
          plan.closingReason !== 'MOVED' &&
          random.next() < RETURN_CANDIDATE_SHARE
        )
          returning.add(client, addDays(plan.closedOn, random.int(30, 240)));
        yield plan;
      }
    }
  }
}

/** Draws one of the remaining plans of a segment, uniformly: a seeded shuffle of exact counts. */
function dealCell(random: Random, remaining: number[], left: number): number {
  let r = random.int(0, left - 1);
  for (let i = 0; i < remaining.length; i += 1) {
    if (r < remaining[i]!) {
      remaining[i]! -= 1;
      return i;
    }
    r -= remaining[i]!;
  }
  throw new Error('No plan left to deal in this segment');
}
