import { z } from 'zod';
import { isIsoDate } from '@ies/calendar';

// The building blocks of line formats: bounded, clean text, real dates, references and identifiers.

/** Bounds of the format (the service's own limits are the same or tighter). */
export const LINE_LIMITS = {
  /** Names, identifiers of people and organizations, services, employers. */
  shortText: 200,
  /** Goal and sub-goal descriptions, item outcomes, referral notes (the service stores up to 1000). */
  longText: 1000,
  earliestDate: '1900-01-01',
  latestDate: '2099-12-31',
  maxHoursPerWeek: 168,
  maxHourlyWageCents: 100_000,
  jobs: 20,
  checkpoints: 40,
  subGoals: 20,
  itemsPerSubGoal: 50,
  reviewDates: 50,
  referralsOut: 100,
  activeOffers: 10,
} as const;

/**
 * True for C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides and
 * isolates, and unpaired UTF-16 surrogates. Long texts may hold tabs and line breaks (JSON escapes
 * them); short ones may not.
 */
export function hasHostileCharacter(value: string, allowLineBreaks = false): boolean {
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
      'must not contain control, bidirectional or unpaired surrogate characters',
    );
export const shortText = text(LINE_LIMITS.shortText, false);
export const longText = text(LINE_LIMITS.longText, true);

export const isoDate = z
  .string({ error: 'not a date (YYYY-MM-DD)' })
  .refine(isIsoDate, { message: 'not a date (YYYY-MM-DD)', abort: true })
  .refine(
    (v) => v >= LINE_LIMITS.earliestDate && v <= LINE_LIMITS.latestDate,
    `must be between ${LINE_LIMITS.earliestDate} and ${LINE_LIMITS.latestDate}`,
  );

export const reference = (prefix: 'AP' | 'CL') =>
  z
    .string()
    .regex(
      new RegExp(`^${prefix}-[A-Za-z0-9][A-Za-z0-9._-]{0,60}$`),
      `must be "${prefix}-" then up to 61 letters, digits, ".", "_" or "-"`,
    );

/** Catchment, provider, site and program ids: slugs or UUIDs. */
export const identifier = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
    'must be an identifier (letters, digits, ".", "_", ":", "-")',
  );
