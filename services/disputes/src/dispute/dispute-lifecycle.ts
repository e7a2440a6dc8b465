import { isIsoDate, type IsoDate } from '@ies/calendar';
import { mutationError, validateReason, validateText, type MutationError } from '@ies/subgraph-kit';
import {
  slaDueDates,
  slaPolicyOn,
  type SlaDueDates,
  type SlaPolicy,
  type SlaPolicyVersion,
} from './dispute-sla';

/**
 * The lifecycle of a dispute as one pure state machine (DOMAIN.md §4, issue 10): functions from a
 * state and a change to a new state or a refusal, never mutating their input.
 *
 * Transitions (TRANSITIONS below; anything else is refused with RULE_VIOLATION):
 *
 *   OPENED        → ACKNOWLEDGED | ESCALATED | WITHDRAWN
 *   ACKNOWLEDGED  → UNDER_REVIEW | ESCALATED | RESOLVED | WITHDRAWN
 *   UNDER_REVIEW  → ESCALATED | RESOLVED | WITHDRAWN
 *   ESCALATED     → UNDER_REVIEW | ESCALATED (the next level) | RESOLVED | WITHDRAWN
 *   RESOLVED, WITHDRAWN: closed, no way out
 *
 * - An OPENED dispute is acknowledged before it is resolved: the party always hears that it was
 *   received. A dispute settled on first contact is acknowledged and resolved the same day.
 * - ESCALATED hands the dispute to the next level (PROVIDER → SSM → MINISTRY); the level that takes it
 *   over reviews it (UNDER_REVIEW) or resolves it. There is no level beyond the ministry.
 * - A client dispute starts at the PROVIDER level (the service provider that serves the client hears
 *   it first); a client dispute with no provider party (about the SSM itself, or a referral it made)
 *   and a service-provider dispute start at the SSM level (a service-provider dispute is about the SSM
 *   relationship, so the SSM hears it first and the ministry is its one escalation).
 * - A closed dispute is never reopened in place: `reopenDispute` builds a new dispute linked by
 *   `reopenedFrom`, with clocks of its own, at the level the closed one ended at.
 * - Every transition records who, when (the Ontario date) and why; dates never go backwards.
 */
export const DISPUTE_KINDS = ['CLIENT', 'SERVICE_PROVIDER'] as const;
export type DisputeKind = (typeof DISPUTE_KINDS)[number];

export const DISPUTE_STATUSES = [
  'OPENED',
  'ACKNOWLEDGED',
  'UNDER_REVIEW',
  'ESCALATED',
  'RESOLVED',
  'WITHDRAWN',
] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** The escalation ladder, lowest first. */
export const ESCALATION_LEVELS = ['PROVIDER', 'SSM', 'MINISTRY'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const RESOLUTION_OUTCOMES = ['UPHELD', 'PARTLY_UPHELD', 'NOT_UPHELD', 'SETTLED'] as const;
export type ResolutionOutcome = (typeof RESOLUTION_OUTCOMES)[number];

export const MAX_RESOLUTION_SUMMARY_LENGTH = 4000;

export const TRANSITIONS: Readonly<Record<DisputeStatus, readonly DisputeStatus[]>> = {
  OPENED: ['ACKNOWLEDGED', 'ESCALATED', 'WITHDRAWN'],
  ACKNOWLEDGED: ['UNDER_REVIEW', 'ESCALATED', 'RESOLVED', 'WITHDRAWN'],
  UNDER_REVIEW: ['ESCALATED', 'RESOLVED', 'WITHDRAWN'],
  ESCALATED: ['UNDER_REVIEW', 'ESCALATED', 'RESOLVED', 'WITHDRAWN'],
  RESOLVED: [],
  WITHDRAWN: [],
};

export const CLOSED_STATUSES: readonly DisputeStatus[] = ['RESOLVED', 'WITHDRAWN'];

/** Who made a change, when and why. */
export interface DisputeChange {
  /** The principal that made the change, or the system job that did (e.g. `system:sla-sweep`). */
  by: string;
  on: IsoDate;
  reason: string;
}

export interface DisputeTransition extends DisputeChange {
  status: DisputeStatus;
  /** The level the dispute is at from this transition on. */
  level: EscalationLevel;
}

export interface DisputeResolution {
  outcome: ResolutionOutcome;
  summary: string;
  on: IsoDate;
}

export interface DisputeState {
  reference: string;
  kind: DisputeKind;
  status: DisputeStatus;
  level: EscalationLevel;
  openedOn: IsoDate;
  /** Every transition, oldest first, starting with OPENED; only ever appended to. */
  history: readonly DisputeTransition[];
  resolution: DisputeResolution | null;
  /** The reference of the closed dispute this one reopens. */
  reopenedFrom: string | null;
  /** The policy in force on the opening date and the due dates it gave; fixed for the dispute's life. */
  sla: { policy: SlaPolicy } & SlaDueDates;
}

export interface OpenDisputeInput extends DisputeChange {
  reference: string;
  kind: DisputeKind;
  /** Whether a service provider is a party (default true): a client dispute without one starts at the SSM. */
  providerParty?: boolean;
  /** The SSM's SLA policy versions; the one in force on `on` applies (defaults when none). */
  slaPolicies: readonly SlaPolicyVersion[];
}

export interface TransitionInput extends DisputeChange {
  to: DisputeStatus;
  /** Required to resolve, refused otherwise. */
  resolution?: { outcome: ResolutionOutcome; summary: string } | null;
}

export interface ReopenInput extends DisputeChange {
  /** The new dispute's reference. */
  reference: string;
  slaPolicies: readonly SlaPolicyVersion[];
}

export type LifecycleResult =
  { ok: true; dispute: DisputeState; error: null } | { ok: false; dispute: null; error: MutationError };

const accept = (dispute: DisputeState): LifecycleResult => ({ ok: true, dispute, error: null });
const refuse = (error: MutationError): LifecycleResult => ({ ok: false, dispute: null, error });

export const isClosed = (status: DisputeStatus): boolean => CLOSED_STATUSES.includes(status);

/** Where a dispute is heard first: the client's provider, else the SSM. */
export const startingLevel = (kind: DisputeKind, providerParty = true): EscalationLevel =>
  kind === 'CLIENT' && providerParty ? 'PROVIDER' : 'SSM';

/** The level above, or null at the ministry. */
export function nextLevel(level: EscalationLevel): EscalationLevel | null {
  return ESCALATION_LEVELS[ESCALATION_LEVELS.indexOf(level) + 1] ?? null;
}

/** The statuses the dispute may move to now (ESCALATED only while there is a level above). */
export function allowedTransitions(dispute: Pick<DisputeState, 'status' | 'level'>): DisputeStatus[] {
  return TRANSITIONS[dispute.status].filter((to) => to !== 'ESCALATED' || nextLevel(dispute.level) !== null);
}

function validateChange(change: DisputeChange, notBefore: IsoDate | null): MutationError | null {
  if (typeof change.by !== 'string' || change.by.trim() === '')
    return mutationError('VALIDATION_FAILED', 'A dispute change records who made it');
  if (!isIsoDate(change.on)) return mutationError('VALIDATION_FAILED', 'Not a calendar date', 'input.on');
  if (notBefore !== null && change.on < notBefore) {
    return mutationError(
      'VALIDATION_FAILED',
      `A change on ${change.on} cannot come before the dispute's last change on ${notBefore}`,
      'input.on',
    );
  }
  return validateReason(change.reason);
}

function validateReference(reference: string): MutationError | null {
  return typeof reference === 'string' && reference.trim() !== ''
    ? null
    : mutationError('VALIDATION_FAILED', 'A dispute needs a reference', 'input.reference');
}

function opened(
  input: DisputeChange & { reference: string; kind: DisputeKind; level: EscalationLevel },
  slaPolicies: readonly SlaPolicyVersion[],
  reopenedFrom: string | null,
): DisputeState {
  const policy = slaPolicyOn(slaPolicies, input.on);
  return {
    reference: input.reference,
    kind: input.kind,
    status: 'OPENED',
    level: input.level,
    openedOn: input.on,
    history: [
      { status: 'OPENED', level: input.level, by: input.by, on: input.on, reason: input.reason.trim() },
    ],
    resolution: null,
    reopenedFrom,
    sla: { policy, ...slaDueDates(input.on, policy) },
  };
}

/** A new dispute: OPENED at its kind's starting level, with clocks under the policy in force today. */
export function openDispute(input: OpenDisputeInput): LifecycleResult {
  if (!DISPUTE_KINDS.includes(input.kind))
    return refuse(mutationError('VALIDATION_FAILED', `Unknown dispute kind ${input.kind}`, 'input.kind'));
  const invalid = validateReference(input.reference) ?? validateChange(input, null);
  if (invalid) return refuse(invalid);
  return accept(
    opened(
      { ...input, level: startingLevel(input.kind, input.providerParty ?? true) },
      input.slaPolicies,
      null,
    ),
  );
}

function validateResolution(input: TransitionInput): MutationError | null {
  if (input.to !== 'RESOLVED') {
    return input.resolution
      ? mutationError('VALIDATION_FAILED', 'Only a resolution carries an outcome', 'input.resolution')
      : null;
  }
  if (!input.resolution)
    return mutationError('VALIDATION_FAILED', 'Resolving a dispute needs its resolution', 'input.resolution');
  if (!RESOLUTION_OUTCOMES.includes(input.resolution.outcome)) {
    return mutationError(
      'VALIDATION_FAILED',
      `Unknown outcome ${input.resolution.outcome}`,
      'input.resolution.outcome',
    );
  }
  const invalid =
    typeof input.resolution.summary === 'string'
      ? validateText(input.resolution.summary, 'input.resolution.summary', 'The resolution summary', 'text')
      : null;
  if (invalid) return invalid;
  const summary = typeof input.resolution.summary === 'string' ? input.resolution.summary.trim() : '';
  if (summary === '' || summary.length > MAX_RESOLUTION_SUMMARY_LENGTH) {
    return mutationError(
      'VALIDATION_FAILED',
      `A resolution summary is 1 to ${MAX_RESOLUTION_SUMMARY_LENGTH} characters`,
      'input.resolution.summary',
    );
  }
  return null;
}

function refuseTransition(dispute: DisputeState, to: DisputeStatus): MutationError | null {
  if (!DISPUTE_STATUSES.includes(to))
    return mutationError('VALIDATION_FAILED', `Unknown dispute status ${to}`, 'input.status');
  if (isClosed(dispute.status)) {
    return mutationError(
      'RULE_VIOLATION',
      `Dispute ${dispute.reference} is ${dispute.status} and closed; reopening it creates a new, linked dispute`,
      'input.status',
    );
  }
  if (!TRANSITIONS[dispute.status].includes(to)) {
    return mutationError(
      'RULE_VIOLATION',
      `A dispute cannot go from ${dispute.status} to ${to}; from ${dispute.status} it can go to ${TRANSITIONS[dispute.status].join(', ')}`,
      'input.status',
    );
  }
  if (to === 'ESCALATED' && nextLevel(dispute.level) === null) {
    return mutationError(
      'RULE_VIOLATION',
      `Dispute ${dispute.reference} is already at the ${dispute.level} level, the last one; it cannot be escalated further`,
      'input.status',
    );
  }
  return null;
}

/** Moves a dispute to `input.to`, appending who/when/why to its history; ESCALATED climbs a level. */
export function transitionDispute(dispute: DisputeState, input: TransitionInput): LifecycleResult {
  const lastOn = dispute.history[dispute.history.length - 1]?.on ?? dispute.openedOn;
  const refusal =
    refuseTransition(dispute, input.to) ?? validateChange(input, lastOn) ?? validateResolution(input);
  if (refusal) return refuse(refusal);
  const level = input.to === 'ESCALATED' ? nextLevel(dispute.level)! : dispute.level;
  const transition: DisputeTransition = {
    status: input.to,
    level,
    by: input.by,
    on: input.on,
    reason: input.reason.trim(),
  };
  return accept({
    ...dispute,
    status: input.to,
    level,
    history: [...dispute.history, transition],
    resolution:
      input.to === 'RESOLVED' && input.resolution
        ? { outcome: input.resolution.outcome, summary: input.resolution.summary.trim(), on: input.on }
        : dispute.resolution,
  });
}

/** Hands the dispute to the next level; refused at the ministry and once closed. */
export function escalateDispute(dispute: DisputeState, change: DisputeChange): LifecycleResult {
  return transitionDispute(dispute, { ...change, to: 'ESCALATED' });
}

/**
 * Reopens a closed dispute as a new one: OPENED on `input.on`, same kind, at the level the closed one
 * ended at (a reopened dispute does not go back down the ladder), with fresh clocks under the policy in
 * force on the reopening date, and `reopenedFrom` naming the closed dispute, which stays as it was.
 */
export function reopenDispute(closed: DisputeState, input: ReopenInput): LifecycleResult {
  if (!isClosed(closed.status)) {
    return refuse(
      mutationError(
        'RULE_VIOLATION',
        `Dispute ${closed.reference} is ${closed.status}, still open; only a resolved or withdrawn dispute is reopened`,
      ),
    );
  }
  const closedOn = closed.history[closed.history.length - 1]?.on ?? closed.openedOn;
  const invalid = validateReference(input.reference) ?? validateChange(input, closedOn);
  if (invalid) return refuse(invalid);
  if (input.reference === closed.reference) {
    return refuse(
      mutationError(
        'VALIDATION_FAILED',
        'A reopened dispute needs a reference of its own',
        'input.reference',
      ),
    );
  }
  const reopened = { ...input, kind: closed.kind, level: closed.level };
  return accept(opened(reopened, input.slaPolicies, closed.reference));
}
