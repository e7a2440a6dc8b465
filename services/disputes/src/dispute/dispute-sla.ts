import { addBusinessDays, isIsoDate, type IsoDate } from '@ies/calendar';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import type { DisputeState, DisputeStatus } from './dispute-lifecycle';

/**
 * SLA clocks of a dispute (DOMAIN.md §4): acknowledge within N and resolve within M Ontario business
 * days of opening, N and M set per SSM with effective dates (defaults 5 and 25).
 *
 * - The policy that applies is the one **in force on the opening date**; the due dates are computed
 *   then and kept on the dispute (`DisputeState.sla`), so a later policy change never rewrites a past
 *   clock, and a policy version may only take effect from today on (`validateSlaPolicyVersion`).
 * - Business days are counted with `addBusinessDays` (@ies/calendar): the nth business day after the
 *   opening date. A clock is met on its due date and breached from the day after.
 * - A clock stops at the first transition that answers it, or at withdrawal: acknowledgement at
 *   ACKNOWLEDGED, UNDER_REVIEW (taking a dispute into review acknowledges it), RESOLVED or WITHDRAWN;
 *   resolution at RESOLVED or WITHDRAWN. Escalation stops no clock: both still run from the opening
 *   date. A clock is breached when it stopped after its due date, or still runs after it.
 */
export interface SlaPolicy {
  acknowledgeWithinBusinessDays: number;
  resolveWithinBusinessDays: number;
}

/** One version of an SSM's policy: in force from `effectiveFrom` until a later version takes over. */
export interface SlaPolicyVersion extends SlaPolicy {
  effectiveFrom: IsoDate;
}

export const DEFAULT_SLA_POLICY: Readonly<SlaPolicy> = Object.freeze({
  acknowledgeWithinBusinessDays: 5,
  resolveWithinBusinessDays: 25,
});

/** A year of business days: no SSM promises slower handling than that. */
export const MAX_SLA_BUSINESS_DAYS = 260;

export interface SlaDueDates {
  acknowledgeBy: IsoDate;
  resolveBy: IsoDate;
}

export type SlaClock = 'ACKNOWLEDGE' | 'RESOLVE';

export interface SlaClockState {
  clock: SlaClock;
  dueOn: IsoDate;
  /** The date of the transition that stopped the clock; null while it runs. */
  stoppedOn: IsoDate | null;
  stoppedBy: DisputeStatus | null;
  breached: boolean;
}

const STOPPED_BY: Record<SlaClock, readonly DisputeStatus[]> = {
  ACKNOWLEDGE: ['ACKNOWLEDGED', 'UNDER_REVIEW', 'RESOLVED', 'WITHDRAWN'],
  RESOLVE: ['RESOLVED', 'WITHDRAWN'],
};

function assertDate(date: IsoDate): void {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
}

/**
 * The policy in force on `date`: the version with the latest `effectiveFrom` on or before it (of two
 * versions from the same day, the one listed last); the defaults when none has started yet.
 */
export function slaPolicyOn(policies: readonly SlaPolicyVersion[], date: IsoDate): SlaPolicy {
  assertDate(date);
  let inForce: SlaPolicy = DEFAULT_SLA_POLICY;
  let since: IsoDate | null = null;
  for (const version of policies) {
    if (version.effectiveFrom <= date && (since === null || version.effectiveFrom >= since)) {
      inForce = version;
      since = version.effectiveFrom;
    }
  }
  return {
    acknowledgeWithinBusinessDays: inForce.acknowledgeWithinBusinessDays,
    resolveWithinBusinessDays: inForce.resolveWithinBusinessDays,
  };
}

/** The due dates of a dispute opened on `openedOn` under `policy`. */
export function slaDueDates(openedOn: IsoDate, policy: SlaPolicy): SlaDueDates {
  return {
    acknowledgeBy: addBusinessDays(openedOn, policy.acknowledgeWithinBusinessDays),
    resolveBy: addBusinessDays(openedOn, policy.resolveWithinBusinessDays),
  };
}

/** Both clocks of a dispute as they stand on `today`. */
export function slaClocks(dispute: Pick<DisputeState, 'sla' | 'history'>, today: IsoDate): SlaClockState[] {
  assertDate(today);
  const dueOn: Record<SlaClock, IsoDate> = {
    ACKNOWLEDGE: dispute.sla.acknowledgeBy,
    RESOLVE: dispute.sla.resolveBy,
  };
  return (['ACKNOWLEDGE', 'RESOLVE'] as const).map((clock) => {
    const stop = dispute.history.find((t) => STOPPED_BY[clock].includes(t.status)) ?? null;
    const stoppedOn = stop?.on ?? null;
    return {
      clock,
      dueOn: dueOn[clock],
      stoppedOn,
      stoppedBy: stop?.status ?? null,
      breached: (stoppedOn ?? today) > dueOn[clock],
    };
  });
}

/**
 * The clocks breached on `today`, whether still running (the sweep escalates those) or stopped late
 * (what reports count). Use `slaClocks` to tell them apart.
 */
export function breaches(dispute: Pick<DisputeState, 'sla' | 'history'>, today: IsoDate): SlaClock[] {
  return slaClocks(dispute, today)
    .filter((c) => c.breached)
    .map((c) => c.clock);
}

function validateDays(days: number, field: string): MutationError | null {
  if (Number.isInteger(days) && days >= 1 && days <= MAX_SLA_BUSINESS_DAYS) return null;
  return mutationError(
    'VALIDATION_FAILED',
    `An SLA is a whole number of business days from 1 to ${MAX_SLA_BUSINESS_DAYS}`,
    field,
  );
}

/**
 * A new policy version an SSM sets: whole business days, acknowledgement no later than resolution,
 * in force from `today` or later (a version that started in the past would rewrite past clocks).
 */
export function validateSlaPolicyVersion(version: SlaPolicyVersion, today: IsoDate): MutationError | null {
  assertDate(today);
  const days =
    validateDays(version.acknowledgeWithinBusinessDays, 'input.acknowledgeWithinBusinessDays') ??
    validateDays(version.resolveWithinBusinessDays, 'input.resolveWithinBusinessDays');
  if (days) return days;
  if (version.acknowledgeWithinBusinessDays > version.resolveWithinBusinessDays) {
    return mutationError(
      'VALIDATION_FAILED',
      'A dispute cannot be due for acknowledgement after it is due for resolution',
      'input.acknowledgeWithinBusinessDays',
    );
  }
  if (!isIsoDate(version.effectiveFrom))
    return mutationError('VALIDATION_FAILED', 'Not a calendar date', 'input.effectiveFrom');
  if (version.effectiveFrom < today) {
    return mutationError(
      'RULE_VIOLATION',
      `An SLA policy takes effect from today (${today}) or later, never from ${version.effectiveFrom}: past clocks keep the policy they started under`,
      'input.effectiveFrom',
    );
  }
  return null;
}
