import type { PlannedChange } from '@ies/change-log';
import type { IsoDate } from '@ies/calendar';
import { escalateDispute, nextLevel } from '../dispute/dispute-lifecycle';
import { slaClocks, type SlaClock } from '../dispute/dispute-sla';
import type { DisputeDoc, SlaBreachDoc } from '../dispute/dispute.model';
import { stateOf, transitionPlan } from '../dispute/dispute-state';

/** Who the sweep's changes are recorded as. */
export const SWEEP_ACTOR = { subject: 'system:sla-sweep', role: 'SYSTEM' } as const;

const CLOCK_WORDS: Record<SlaClock, string> = { ACKNOWLEDGE: 'Acknowledgement', RESOLVE: 'Resolution' };

/**
 * The first clock of an open dispute that still runs past its due date on `asOf` and that the sweep
 * has not recorded yet (acknowledgement before resolution). Each clock breaches at most once in a
 * dispute's life (its due date is fixed when the dispute opens), so a recorded breach is never
 * handled again.
 */
export function unrecordedBreach(doc: DisputeDoc, asOf: IsoDate): { clock: SlaClock; dueOn: IsoDate } | null {
  if (!doc.open) return null;
  const recorded = new Set(doc.slaBreaches.map((b) => b.clock));
  const clock = slaClocks(stateOf(doc), asOf).find(
    (c) => c.stoppedOn === null && c.breached && !recorded.has(c.clock),
  );
  return clock ? { clock: clock.clock, dueOn: clock.dueOn } : null;
}

/**
 * The change that records the next unrecorded breach and, when no party escalated the dispute since
 * the due date and a level is left above, escalates it: one breach per change, so each is a record of its
 * own and two sweeps racing for it produce one record (the change log's version lock). Null when
 * there is nothing to record, or when `asOf` is before the dispute's last change (a sweep run for a
 * past date cannot act).
 */
export function breachPlan(doc: DisputeDoc, asOf: IsoDate): PlannedChange<DisputeDoc> | null {
  const breach = unrecordedBreach(doc, asOf);
  if (!breach) return null;
  const lastOn = doc.history.at(-1)?.on ?? doc.openedOn;
  if (asOf < lastOn) return null;
  const record = (handling: SlaBreachDoc['handling'], escalatedTo: SlaBreachDoc['escalatedTo']) => ({
    ...breach,
    detectedOn: asOf,
    handling,
    escalatedTo,
  });
  const recordOnly = (entry: SlaBreachDoc): PlannedChange<DisputeDoc> => ({
    kind: 'SLA_BREACH',
    before: null,
    after: { slaBreach: entry },
    set: { slaBreaches: [...doc.slaBreaches, entry] },
    events: [breachEvent(doc, entry)],
  });
  // A party who escalated after the due date has done what the breach calls for; the sweep's own
  // escalation for the other clock (a backlog caught up in one run) does not count.
  const escalatedSince = doc.history.some(
    (t) => t.status === 'ESCALATED' && t.on > breach.dueOn && t.by !== SWEEP_ACTOR.subject,
  );
  if (escalatedSince) return recordOnly(record('ALREADY_ESCALATED', null));
  const above = nextLevel(doc.level);
  if (above === null) return recordOnly(record('AT_TOP_LEVEL', null));
  const escalated = escalateDispute(stateOf(doc), {
    by: SWEEP_ACTOR.subject,
    on: asOf,
    reason: `${CLOCK_WORDS[breach.clock]} was due by ${breach.dueOn} and is overdue: escalated automatically to the ${above} level`,
  });
  if (!escalated.ok) return null;
  const entry = record('ESCALATED', above);
  const plan = transitionPlan(
    doc,
    escalated.dispute,
    [{ type: 'DisputeSlaBreached', data: breachData(doc, entry) }],
    'SLA_BREACH',
  );
  return {
    ...plan,
    kind: 'SLA_ESCALATION',
    after: { ...plan.after, slaBreach: entry },
    set: { ...plan.set, slaBreaches: [...doc.slaBreaches, entry] },
  };
}

const breachData = (doc: DisputeDoc, entry: SlaBreachDoc) => ({
  reference: doc.reference,
  clock: entry.clock,
  dueOn: entry.dueOn,
  handling: entry.handling,
  escalatedTo: entry.escalatedTo,
});

const breachEvent = (doc: DisputeDoc, entry: SlaBreachDoc) => ({
  type: 'DisputeSlaBreached',
  catchmentId: doc.catchmentId,
  data: breachData(doc, entry),
});
