import type { Principal } from '@ies/auth';
import type { ChangeLog, ChangeRecord, EventDraft } from '@ies/change-log';
import type { IsoDate } from '@ies/calendar';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import type { Funding, PerformanceTarget } from './terms';
import type { AgreementStatus } from '../agreement/provider-agreement.model';

export const AMENDMENT_KINDS = ['FUNDING', 'TARGETS', 'STATUS'] as const;
export type AmendmentKind = (typeof AMENDMENT_KINDS)[number];

/** One side of an amendment: only the amended part is set. */
export interface AmendedTerms {
  funding?: Funding | null;
  targets?: PerformanceTarget[] | null;
  status?: AgreementStatus | null;
}

/** A numbered change with who, when, why and the values before and after (the API's `Amendment`). */
export interface Amendment {
  number: number;
  kind: AmendmentKind;
  at: Date;
  asOf: IsoDate;
  bySubject: string;
  byRole: string;
  reason: string;
  before: AmendedTerms;
  after: AmendedTerms;
}

/** What every amendable document (contract, provider agreement) carries: its change-log version. */
export interface AmendableDoc {
  _id: string;
  /** 1 when created, +1 per amendment: the version of its last change-log record. */
  version: number;
}

export interface AmendmentPlan<D> {
  kind: AmendmentKind;
  before: AmendedTerms;
  after: AmendedTerms;
  /** Fields the change sets on the document. */
  set: Partial<Omit<D, '_id' | 'version'>>;
  events: EventDraft[];
}

/**
 * A change-log record as an amendment: the creation (version 1) is not one, so amendment n is
 * version n + 1 of its document.
 */
export function amendmentOf(record: ChangeRecord<unknown>): Amendment {
  return {
    number: record.version - 1,
    kind: record.kind as AmendmentKind,
    at: record.at,
    asOf: record.asOf ?? record.at.toISOString().slice(0, 10),
    bySubject: record.bySubject,
    byRole: record.byRole,
    reason: record.reason,
    before: record.before as AmendedTerms,
    after: record.after as AmendedTerms,
  };
}

/** Each document's amendments, oldest first. */
export async function amendmentsOf<D extends AmendableDoc>(
  log: ChangeLog<D>,
  ids: readonly string[],
): Promise<Map<string, Amendment[]>> {
  const histories = await log.histories(ids);
  return new Map(
    [...histories].map(([id, records]) => [id, records.filter((r) => r.version > 1).map(amendmentOf)]),
  );
}

/**
 * Amends a document through its change log: the plan sees the latest state (read once) and may
 * refuse, after checking who may amend it; then the version the caller expects (when given) must be
 * the current one; of simultaneous amendments
 * exactly one wins each version and the others get a CONFLICT. Returns the amended document.
 */
export async function amend<D extends AmendableDoc>(
  log: ChangeLog<D>,
  principal: Principal,
  id: string,
  label: string,
  input: { asOf: IsoDate; reason: string; expectedVersion?: number | null },
  plan: (doc: D) => AmendmentPlan<D> | MutationError | Promise<AmendmentPlan<D> | MutationError>,
): Promise<D | MutationError> {
  const outcome = await log.change<MutationError>(principal, id, input, async (doc) => {
    const planned = await plan(doc);
    return 'code' in planned ? { refused: planned } : planned;
  });
  switch (outcome.status) {
    case 'applied':
      return outcome.state;
    case 'refused':
      return outcome.refusal;
    case 'not-found':
      return mutationError('NOT_FOUND', `No ${label.toLowerCase()} ${id}`);
    case 'conflict':
      return typeof input.expectedVersion === 'number' && input.expectedVersion !== outcome.version
        ? mutationError(
            'CONFLICT',
            `${label} ${id} is at version ${outcome.version}, not ${input.expectedVersion}; re-read and retry`,
            'input.expectedVersion',
          )
        : mutationError('CONFLICT', `${label} ${id} changed concurrently; re-read and retry`);
  }
}
