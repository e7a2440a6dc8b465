import type { DisputeDoc } from './dispute.model';
import type { DisputeState, DisputeStatus } from './dispute-lifecycle';

/** Who moved a dispute: one of its parties (through the API) or a breached SLA clock (the sweep). */
export type TransitionTrigger = 'PARTY' | 'SLA_BREACH';

/** An event a dispute's transition declares (the change log adds catchment, subject, time, version). */
export interface DisputeEventDraft {
  type: string;
  data: Record<string, unknown>;
}

/** The event type announcing that a dispute entered a status (subscribers listen for these). */
export const STATUS_EVENT_TYPES: Record<Exclude<DisputeStatus, 'OPENED'>, string> = {
  ACKNOWLEDGED: 'DisputeAcknowledged',
  UNDER_REVIEW: 'DisputeUnderReview',
  ESCALATED: 'DisputeEscalated',
  RESOLVED: 'DisputeResolved',
  WITHDRAWN: 'DisputeWithdrawn',
};

/**
 * The events of one transition: `DisputeStatusChanged` (every transition, as before) and the event of
 * the status entered. An escalation says what triggered it and between which levels; a resolution
 * carries its outcome (never its summary: free text stays behind the API's access rules). Data holds
 * ids and codes only.
 */
export function transitionEvents(
  before: DisputeDoc,
  after: DisputeState,
  trigger: TransitionTrigger,
): DisputeEventDraft[] {
  const changed: DisputeEventDraft = {
    type: 'DisputeStatusChanged',
    data: { reference: before.reference, from: before.status, to: after.status, level: after.level },
  };
  if (after.status === 'OPENED') return [changed];
  const common = { reference: before.reference, providerId: before.providerId, level: after.level };
  const specific: Record<string, unknown> =
    after.status === 'ESCALATED'
      ? { ...common, trigger, fromLevel: before.level, toLevel: after.level }
      : after.status === 'RESOLVED'
        ? { ...common, outcome: after.resolution?.outcome ?? null }
        : common;
  return [changed, { type: STATUS_EVENT_TYPES[after.status], data: specific }];
}
