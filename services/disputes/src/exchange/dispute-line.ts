import { z } from 'zod';
import { isIsoDate } from '@ies/calendar';
import { CATEGORY_CODE } from '../category/category-catalogue';
import { REFERENCE_PATTERN } from '../dispute/dispute-ids';
import {
  DISPUTE_KINDS,
  DISPUTE_STATUSES,
  MAX_RESOLUTION_SUMMARY_LENGTH,
  RESOLUTION_OUTCOMES,
} from '../dispute/dispute-lifecycle';
import type { DisputeDoc } from '../dispute/dispute.model';
import type { ParseResult } from './exchange-types';

/**
 * The dispute exchange format (issue 10): one JSON object per line, a dispute with its whole status
 * history, keyed on `reference`:
 *
 *   {"reference","kind","catchmentId","category","clientCamsReference"|null,"providerId"|null,
 *    "openedOn","history":[{"status","on","by","reason"}],"resolution":{"outcome","summary","on"}|null}
 *
 * This module checks SHAPE only (every key present, no unknown key at any level, enums, real dates,
 * bounded clean strings); the rules (parties, category, catchment, the lifecycle replayed over the
 * history) are the import's. `formatDisputeLine` writes every key in this order, so an exported line
 * is byte-for-byte what importing it back compares against.
 */

/** Control, bidirectional-override and unpaired-surrogate characters (reasons may hold line breaks). */
function hasHostileCharacter(value: string, allowLineBreaks: boolean): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 0x20) {
      if (allowLineBreaks && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
      return true;
    }
    if ((c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return true;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i += 1;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

const text = (max: number, allowLineBreaks: boolean) =>
  z
    .string()
    .max(max)
    .refine((v) => v.trim().length > 0, 'must not be blank')
    .refine(
      (v) => !hasHostileCharacter(v, allowLineBreaks),
      'must not contain control or bidirectional characters',
    );

const isoDate = z
  .string()
  .refine(isIsoDate, 'not a date (YYYY-MM-DD)')
  .refine((v) => v >= '2000-01-01' && v <= '2099-12-31', 'must be between 2000-01-01 and 2099-12-31');
const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'not an identifier');

/** A CaMS client reference as the clients service accepts it. */
export const CAMS_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const historyEntry = z.strictObject({
  status: z.enum(DISPUTE_STATUSES),
  on: isoDate,
  by: text(200, false),
  reason: text(1000, true),
});

const disputeLineSchema = z.strictObject({
  reference: z.string().regex(REFERENCE_PATTERN, 'must be 1–64 letters, digits, ".", "_", "/" or "-"'),
  kind: z.enum(DISPUTE_KINDS),
  catchmentId: identifier,
  category: z.string().regex(CATEGORY_CODE, 'not a category code'),
  clientCamsReference: z.string().regex(CAMS_REFERENCE, 'not a CaMS reference').nullable(),
  providerId: identifier.nullable(),
  openedOn: isoDate,
  history: z.array(historyEntry).min(1).max(100),
  resolution: z
    .strictObject({
      outcome: z.enum(RESOLUTION_OUTCOMES),
      summary: text(MAX_RESOLUTION_SUMMARY_LENGTH, true),
      on: isoDate,
    })
    .nullable(),
});

export type DisputeLine = z.infer<typeof disputeLineSchema>;

const path = (segments: readonly PropertyKey[]) =>
  segments.reduce<string>(
    (out, key) =>
      typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`,
    '',
  ) || '(line)';

function describe(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => `${path([...issue.path, key])}: unknown field`);
  if (issue.code === 'invalid_type' && issue.input === undefined) return [`${path(issue.path)}: required`];
  if (issue.code === 'invalid_value')
    return [`${path(issue.path)}: must be one of ${issue.values.join(', ')}`];
  return [`${path(issue.path)}: ${issue.message}`];
}

/** The record of a line, whether it arrives as text or already parsed as JSON; or why it is refused. */
export function parseDisputeLine(input: unknown): ParseResult<DisputeLine> {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, reason: 'not valid JSON' };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'a line is one JSON object' };
  const parsed = disputeLineSchema.safeParse(value);
  if (parsed.success) return { ok: true, line: parsed.data };
  const reasons = parsed.error.issues.flatMap(describe);
  const more = reasons.length > 3 ? ` (and ${reasons.length - 3} more)` : '';
  return { ok: false, reason: reasons.slice(0, 3).join('; ') + more };
}

/** One line of text, every key in the format's order (no trailing newline). */
export function formatDisputeLine(line: DisputeLine): string {
  return JSON.stringify({
    reference: line.reference,
    kind: line.kind,
    catchmentId: line.catchmentId,
    category: line.category,
    clientCamsReference: line.clientCamsReference,
    providerId: line.providerId,
    openedOn: line.openedOn,
    history: line.history.map((h) => ({ status: h.status, on: h.on, by: h.by, reason: h.reason })),
    resolution: line.resolution && {
      outcome: line.resolution.outcome,
      summary: line.resolution.summary,
      on: line.resolution.on,
    },
  });
}

/** A stored dispute as a line. */
export const lineOf = (doc: DisputeDoc): DisputeLine => ({
  reference: doc.reference,
  kind: doc.kind,
  catchmentId: doc.catchmentId,
  category: doc.category,
  clientCamsReference: doc.clientCamsReference,
  providerId: doc.providerId,
  openedOn: doc.openedOn,
  history: doc.history.map((t) => ({ status: t.status, on: t.on, by: t.by, reason: t.reason })),
  resolution: doc.resolution,
});

/** The line as the service stores it: texts without surrounding blanks (as the lifecycle keeps them). */
export const normalizedLine = (line: DisputeLine): DisputeLine => ({
  ...line,
  history: line.history.map((h) => ({ ...h, reason: h.reason.trim() })),
  resolution: line.resolution && { ...line.resolution, summary: line.resolution.summary.trim() },
});
