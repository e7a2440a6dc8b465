import { z } from 'zod';
import type { ParseResult } from './exchange-types';
import { LINE_LIMITS, identifier, isoDate, longText, reference, shortText } from './line-fields';
import { describeIssues } from './line-issues';
import { MAX_LINE_BYTES } from './ndjson';

/**
 * The action-plan exchange format: one JSON object per line, a plan with its client and assessment
 * inline, keyed on the CaMS references. This module checks SHAPE only (types, enums, real dates,
 * bounded strings and lists) and the consistency of one line with itself (status, closing date,
 * closing reason); every domain rule (assessment required in IES delivery, one active plan per client,
 * the provider has a site in the catchment, dates in order, …) is the service's, on import.
 *
 * Evolution: fields may be added, always optional with a default, so every older line stays valid and
 * means what it meant. Unknown fields are rejected at every level ("client.middleName: unknown
 * field"), because the import is idempotent: a silently dropped field would be reported as imported.
 * Equity answers may be absent or null (not asked). Optional fields and their defaults:
 * `closingReason` (null when ACTIVE; OTHER when CLOSED and absent), `siteId` (null: the provider's
 * first site in the catchment, chosen by the service), `leadCaseworker` (null), `client.contact`
 * (null), `goal` (null), `reviewDates`, `referralsOut`, `activeOffers`, `employmentAtStart` ([]), and per checkpoint
 * `attestationPreApproved` (false). `formatActionPlanLine` always writes every field, in one order.
 * Hours per week may hold a fraction (37.5); cents are whole. JSON itself decides the rest: a key given
 * twice in one object keeps its last value.
 */

export const EQUITY_ANSWERS = ['YES', 'NO', 'PREFER_NOT_TO_ANSWER'] as const;
export const REFERRAL_SOURCES = ['ONTARIO_WORKS', 'ODSP', 'SELF', 'OTHER'] as const;
export const STREAMS = ['A', 'B', 'C'] as const;
export const PLAN_STATUSES = ['ACTIVE', 'CLOSED'] as const;
export const CLOSING_REASONS = [
  'EMPLOYED',
  'EDUCATION_OR_TRAINING',
  'MOVED',
  'NO_LONGER_PARTICIPATING',
  'REFERRED_ELSEWHERE',
  'OTHER',
] as const;
export const PLAN_ITEM_STATUSES = ['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export const CHECKPOINTS = ['MONTH_1', 'MONTH_3', 'MONTH_6', 'MONTH_12'] as const;
export const EVIDENCE_KINDS = ['PAY_STUB', 'EMPLOYER_LETTER', 'ATTESTATION'] as const;
export const ACTIVE_OFFER_KINDS = ['INDIGENOUS', 'FRENCH_LANGUAGE'] as const;
export const ACTIVE_OFFER_ANSWERS = ['ACCEPTED', 'DECLINED'] as const;
export const EQUITY_FIELDS = ['indigenous', 'francophone', 'disability', 'newcomer', 'racialized'] as const;
export { LINE_LIMITS, hasHostileCharacter } from './line-fields';

const equityAnswer = z.enum(EQUITY_ANSWERS).nullable().default(null);

const clientSchema = z.strictObject({
  camsReference: reference('CL'),
  givenName: shortText,
  familyName: shortText,
  birthDate: isoDate,
  indigenous: equityAnswer,
  francophone: equityAnswer,
  disability: equityAnswer,
  newcomer: equityAnswer,
  racialized: equityAnswer,
  contact: z
    .strictObject({ email: shortText.nullable(), phone: shortText.nullable() })
    .nullable()
    .default(null),
});

const planItemSchema = z.strictObject({
  service: shortText,
  providerId: identifier,
  startDate: isoDate,
  endDate: isoDate.nullable(),
  status: z.enum(PLAN_ITEM_STATUSES),
  outcome: longText.nullable(),
});

const goalSchema = z.strictObject({
  description: longText,
  subGoals: z
    .array(
      z.strictObject({
        description: longText,
        items: z.array(planItemSchema).max(LINE_LIMITS.itemsPerSubGoal),
      }),
    )
    .max(LINE_LIMITS.subGoals),
});

const jobSchema = z.strictObject({
  employer: shortText,
  startedOn: isoDate,
  hoursPerWeek: z.number().min(0).max(LINE_LIMITS.maxHoursPerWeek),
  hourlyWageCents: z.number().int().min(0).max(LINE_LIMITS.maxHourlyWageCents),
  subsidizedUntil: isoDate.nullable(),
});

const checkpointSchema = z.strictObject({
  checkpoint: z.enum(CHECKPOINTS),
  verifiedOn: isoDate,
  employed: z.boolean(),
  evidence: z.enum(EVIDENCE_KINDS),
  attestationPreApproved: z.boolean().default(false),
});

export const actionPlanLineSchema = z
  .strictObject({
    camsReference: reference('AP'),
    client: clientSchema,
    catchmentId: identifier,
    providerId: identifier,
    siteId: identifier.nullable().default(null),
    leadCaseworker: shortText.nullable().default(null),
    referralSource: z.enum(REFERRAL_SOURCES),
    assessment: z.strictObject({ stream: z.enum(STREAMS), assessedOn: isoDate }).nullable(),
    startedOn: isoDate,
    status: z.enum(PLAN_STATUSES),
    closedOn: isoDate.nullable(),
    closingReason: z.enum(CLOSING_REASONS).nullable().default(null),
    goal: goalSchema.nullable().default(null),
    reviewDates: z.array(isoDate).max(LINE_LIMITS.reviewDates).default([]),
    referralsOut: z
      .array(z.strictObject({ programId: identifier, referredOn: isoDate, note: longText.nullable() }))
      .max(LINE_LIMITS.referralsOut)
      .default([]),
    activeOffers: z
      .array(
        z.strictObject({
          kind: z.enum(ACTIVE_OFFER_KINDS),
          providerId: identifier,
          offeredOn: isoDate,
          answer: z.enum(ACTIVE_OFFER_ANSWERS),
        }),
      )
      .max(LINE_LIMITS.activeOffers)
      .default([]),
    employmentAtStart: z
      .array(
        z.strictObject({
          employer: shortText,
          hoursPerWeek: z.number().gt(0).max(LINE_LIMITS.maxHoursPerWeek),
        }),
      )
      .max(10)
      .default([]),
    jobs: z.array(jobSchema).max(LINE_LIMITS.jobs),
    checkpoints: z.array(checkpointSchema).max(LINE_LIMITS.checkpoints),
  })
  .superRefine((plan, ctx) => {
    if (plan.status === 'CLOSED' && plan.closedOn === null)
      ctx.addIssue({ code: 'custom', path: ['closedOn'], message: 'required when status is CLOSED' });
    if (plan.status === 'ACTIVE' && plan.closedOn !== null)
      ctx.addIssue({ code: 'custom', path: ['closedOn'], message: 'must be null when status is ACTIVE' });
    if (plan.status === 'ACTIVE' && plan.closingReason !== null)
      ctx.addIssue({
        code: 'custom',
        path: ['closingReason'],
        message: 'must be null when status is ACTIVE',
      });
  })
  .transform((plan) => ({
    ...plan,
    closingReason: plan.status === 'CLOSED' ? (plan.closingReason ?? ('OTHER' as const)) : null,
  }));

/** A line as read: every optional field filled with its default. */
export type ActionPlanLine = z.output<typeof actionPlanLineSchema>;
/** A line as it may be written: optional fields may be left out. */
export type ActionPlanLineInput = z.input<typeof actionPlanLineSchema>;
export type ActionPlanClient = ActionPlanLine['client'];
export type ActionPlanJob = ActionPlanLine['jobs'][number];
export type ActionPlanCheckpoint = ActionPlanLine['checkpoints'][number];
export type ActionPlanGoal = NonNullable<ActionPlanLine['goal']>;

/**
 * One line of text to a plan, or the reason it is refused: over-long, not JSON, not an object, or the
 * first problems found, each named by its field path (`client.birthDate: not a date (YYYY-MM-DD)`).
 * Reasons never repeat the line's values, which may be personal information.
 */
export function parseActionPlanLine(text: string): ParseResult<ActionPlanLine> {
  if (text.length > MAX_LINE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_LINE_BYTES)
    return { ok: false, reason: `line is longer than ${MAX_LINE_BYTES} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    return { ok: false, reason: position ? `not valid JSON (at character ${position})` : 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, reason: `not a JSON object (found ${found})` };
  }
  const parsed = actionPlanLineSchema.safeParse(value);
  return parsed.success
    ? { ok: true, line: parsed.data }
    : { ok: false, reason: describeIssues(parsed.error.issues, value) };
}

/**
 * The canonical text of a plan: every field written, in the order of the format above, no spaces and
 * no newline. `parseActionPlanLine(formatActionPlanLine(x))` gives `x` back for every parsed line.
 */
export function formatActionPlanLine(line: ActionPlanLine): string {
  const c = line.client;
  return JSON.stringify({
    camsReference: line.camsReference,
    client: {
      camsReference: c.camsReference,
      givenName: c.givenName,
      familyName: c.familyName,
      birthDate: c.birthDate,
      indigenous: c.indigenous,
      francophone: c.francophone,
      disability: c.disability,
      newcomer: c.newcomer,
      racialized: c.racialized,
      contact: c.contact && { email: c.contact.email, phone: c.contact.phone },
    },
    catchmentId: line.catchmentId,
    providerId: line.providerId,
    siteId: line.siteId,
    leadCaseworker: line.leadCaseworker,
    referralSource: line.referralSource,
    assessment: line.assessment && { stream: line.assessment.stream, assessedOn: line.assessment.assessedOn },
    startedOn: line.startedOn,
    status: line.status,
    closedOn: line.closedOn,
    closingReason: line.closingReason,
    goal: line.goal && {
      description: line.goal.description,
      subGoals: line.goal.subGoals.map((s) => ({
        description: s.description,
        items: s.items.map((i) => ({
          service: i.service,
          providerId: i.providerId,
          startDate: i.startDate,
          endDate: i.endDate,
          status: i.status,
          outcome: i.outcome,
        })),
      })),
    },
    reviewDates: [...line.reviewDates],
    referralsOut: line.referralsOut.map((r) => ({
      programId: r.programId,
      referredOn: r.referredOn,
      note: r.note,
    })),
    activeOffers: line.activeOffers.map((o) => ({
      kind: o.kind,
      providerId: o.providerId,
      offeredOn: o.offeredOn,
      answer: o.answer,
    })),
    employmentAtStart: line.employmentAtStart.map((e) => ({
      employer: e.employer,
      hoursPerWeek: e.hoursPerWeek,
    })),
    jobs: line.jobs.map((j) => ({
      employer: j.employer,
      startedOn: j.startedOn,
      hoursPerWeek: j.hoursPerWeek,
      hourlyWageCents: j.hourlyWageCents,
      subsidizedUntil: j.subsidizedUntil,
    })),
    checkpoints: line.checkpoints.map((k) => ({
      checkpoint: k.checkpoint,
      verifiedOn: k.verifiedOn,
      employed: k.employed,
      evidence: k.evidence,
      attestationPreApproved: k.attestationPreApproved,
    })),
  });
}
