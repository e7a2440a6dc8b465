import { Schema, type Model } from 'mongoose';
import type { Principal } from '@ies/auth';
import type { IsoDate } from '@ies/calendar';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import { fundingSchema, targetSchema, type Funding, type PerformanceTarget } from './terms';
import type { AgreementStatus } from '../agreement/provider-agreement.model';

export const AMENDMENT_KINDS = ['FUNDING', 'TARGETS', 'STATUS'] as const;
export type AmendmentKind = (typeof AMENDMENT_KINDS)[number];

/** One side of an amendment: only the amended part is set. */
export interface AmendedTerms {
  funding?: Funding | null;
  targets?: PerformanceTarget[] | null;
  status?: AgreementStatus | null;
}

/** A numbered change with who, when, why and the values before and after. */
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

const amendedTermsSchema = new Schema<AmendedTerms>(
  {
    funding: { type: fundingSchema, default: null },
    targets: { type: [targetSchema], default: undefined },
    status: { type: String, default: null },
  },
  { _id: false },
);

export const amendmentSchema = new Schema<Amendment>(
  {
    number: { type: Number, required: true },
    kind: { type: String, enum: AMENDMENT_KINDS, required: true },
    at: { type: Date, required: true },
    asOf: { type: String, required: true },
    bySubject: { type: String, required: true },
    byRole: { type: String, required: true },
    reason: { type: String, required: true },
    before: { type: amendedTermsSchema, required: true },
    after: { type: amendedTermsSchema, required: true },
  },
  { _id: false },
);

/** What every amendable document (contract, provider agreement) carries. */
export interface AmendableDoc {
  _id: string;
  /** Bumped by every change; updates match on it so concurrent writers cannot both win. */
  version: number;
  amendmentCount: number;
  amendments: Amendment[];
}

export interface AmendmentPlan {
  kind: AmendmentKind;
  asOf: IsoDate;
  reason: string;
  before: AmendedTerms;
  after: AmendedTerms;
  /** Fields the change sets on the document. */
  set: Record<string, unknown>;
}

/** The amendment record for a planned change to a document at its current amendment count. */
export function amendmentFor(
  principal: Principal,
  doc: Pick<AmendableDoc, 'amendmentCount'>,
  plan: AmendmentPlan,
  at = new Date(),
): Amendment {
  return {
    number: doc.amendmentCount + 1,
    kind: plan.kind,
    at,
    asOf: plan.asOf,
    bySubject: principal.subject,
    byRole: principal.role,
    reason: plan.reason.trim(),
    before: plan.before,
    after: plan.after,
  };
}

/**
 * Applies a change and appends its amendment in one single-document write that matches the version
 * that was read: a concurrent change makes it match nothing (a CONFLICT) instead of a lost update.
 */
export async function applyAmendment<T extends AmendableDoc>(
  model: Model<T>,
  principal: Principal,
  doc: Pick<AmendableDoc, '_id' | 'version' | 'amendmentCount'>,
  plan: AmendmentPlan,
): Promise<'applied' | 'conflict'> {
  const result = await model.updateOne(
    { _id: doc._id, version: doc.version } as never,
    {
      $set: plan.set,
      $inc: { version: 1, amendmentCount: 1 },
      $push: { amendments: amendmentFor(principal, doc, plan) },
    } as never,
  );
  return result.matchedCount === 1 ? 'applied' : 'conflict';
}

/**
 * Amends a document the caller read, as one step: the version the caller expects (when given) must
 * be the one read, the plan may refuse, and a concurrent change is a CONFLICT. Returns the refusal,
 * or null once applied.
 */
export async function amendAsRead<
  T extends AmendableDoc,
  D extends Pick<AmendableDoc, '_id' | 'version' | 'amendmentCount'>,
>(
  model: Model<T>,
  principal: Principal,
  doc: D,
  label: string,
  input: { asOf: IsoDate; reason: string; expectedVersion?: number | null },
  plan: (doc: D) => Omit<AmendmentPlan, 'asOf' | 'reason'> | MutationError,
): Promise<MutationError | null> {
  if (typeof input.expectedVersion === 'number' && input.expectedVersion !== doc.version) {
    return mutationError(
      'CONFLICT',
      `${label} ${doc._id} is at version ${doc.version}, not ${input.expectedVersion}; re-read and retry`,
      'input.expectedVersion',
    );
  }
  const planned = plan(doc);
  if ('code' in planned) return planned;
  const outcome = await applyAmendment(model, principal, doc, {
    ...planned,
    asOf: input.asOf,
    reason: input.reason,
  });
  return outcome === 'conflict'
    ? mutationError('CONFLICT', `${label} ${doc._id} changed concurrently; re-read and retry`)
    : null;
}
