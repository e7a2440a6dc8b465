import type { PlannedChange } from '@ies/change-log';
import type { DisputeDoc } from './dispute.model';
import { transitionEvents, type TransitionTrigger } from './dispute-events';
import { isClosed, type DisputeState } from './dispute-lifecycle';

/** The lifecycle's view of a stored dispute (dispute-lifecycle.ts works on this shape). */
export const stateOf = (doc: DisputeDoc): DisputeState => ({
  reference: doc.reference,
  kind: doc.kind,
  status: doc.status,
  level: doc.level,
  openedOn: doc.openedOn,
  history: doc.history,
  resolution: doc.resolution,
  reopenedFrom: doc.reopenedFrom,
  sla: doc.sla,
});

/** The parties and facts of a dispute that the lifecycle does not hold. */
export type DisputeFacts = Pick<
  DisputeDoc,
  | '_id'
  | 'catchmentId'
  | 'ssmId'
  | 'providerId'
  | 'clientId'
  | 'clientCamsReference'
  | 'category'
  | 'description'
> & { createdAt: Date; createdBy: string };

/** A new dispute document from a freshly opened lifecycle state. */
export const newDisputeDoc = (state: DisputeState, facts: DisputeFacts): Omit<DisputeDoc, 'version'> => ({
  ...facts,
  reference: state.reference,
  kind: state.kind,
  status: state.status,
  open: !isClosed(state.status),
  level: state.level,
  openedOn: state.openedOn,
  history: [...state.history],
  resolution: state.resolution,
  reopenedFrom: state.reopenedFrom,
  sla: state.sla,
  slaBreaches: [],
});

/**
 * The change-log plan of a transition the lifecycle accepted, with its events (`transitionEvents`,
 * then any the caller adds), all in the dispute's catchment.
 */
export function transitionPlan(
  before: DisputeDoc,
  after: DisputeState,
  events: { type: string; data?: Record<string, unknown> }[] = [],
  trigger: TransitionTrigger = 'PARTY',
): PlannedChange<DisputeDoc> {
  return {
    kind: after.status,
    before: { status: before.status, level: before.level },
    after: {
      status: after.status,
      level: after.level,
      ...(after.resolution !== before.resolution ? { resolution: after.resolution } : {}),
    },
    set: {
      status: after.status,
      open: !isClosed(after.status),
      level: after.level,
      history: [...after.history],
      resolution: after.resolution,
    },
    events: [...transitionEvents(before, after, trigger), ...events].map((e) => ({
      ...e,
      catchmentId: before.catchmentId,
    })),
  };
}
