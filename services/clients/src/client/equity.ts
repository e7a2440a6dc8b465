import { isIsoDate, type IsoDate } from '@ies/calendar';
import { mutationError, type MutationError } from '@ies/subgraph-kit';

/**
 * A client's self-identified equity answers and identity fields (DOMAIN.md §3): every equity field is
 * optional and always allows "prefer not to answer"; `null` means the question was not asked.
 */
export const EQUITY_ANSWERS = ['YES', 'NO', 'PREFER_NOT_TO_ANSWER'] as const;
export type EquityAnswer = (typeof EQUITY_ANSWERS)[number];

export const EQUITY_FIELDS = ['indigenous', 'francophone', 'disability', 'newcomer', 'racialized'] as const;
export type EquityField = (typeof EQUITY_FIELDS)[number];

/** One answer per equity field; `null` = not asked. */
export type ClientEquity = Record<EquityField, EquityAnswer | null>;

export const NOT_ASKED: Readonly<ClientEquity> = Object.freeze({
  indigenous: null,
  francophone: null,
  disability: null,
  newcomer: null,
  racialized: null,
});

/** Fills the fields an input left out with `null` (not asked). */
export const equityOf = (answers: Partial<ClientEquity>): ClientEquity => ({ ...NOT_ASKED, ...answers });

/**
 * Each field, when given, is one of the answers (or null for not asked); no other field is accepted,
 * so a misspelt field is refused instead of silently dropped.
 */
export function validateEquity(input: unknown, field = 'input.equity'): MutationError | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return mutationError('VALIDATION_FAILED', 'Equity answers are an object of fields', field);
  for (const [key, value] of Object.entries(input)) {
    if (!(EQUITY_FIELDS as readonly string[]).includes(key)) {
      return mutationError(
        'VALIDATION_FAILED',
        `Unknown equity field; the fields are ${EQUITY_FIELDS.join(', ')}`,
        `${field}.${key}`,
      );
    }
    if (value !== null && value !== undefined && !(EQUITY_ANSWERS as readonly unknown[]).includes(value)) {
      return mutationError(
        'VALIDATION_FAILED',
        `An equity answer is ${EQUITY_ANSWERS.join(', ')} or not asked (null)`,
        `${field}.${key}`,
      );
    }
  }
  return null;
}

/** The equity groups a client self-identified with (answered YES), for reporting by equity group. */
export const equityGroupsOf = (equity: ClientEquity): EquityField[] =>
  EQUITY_FIELDS.filter((f) => equity[f] === 'YES');

/** Whether the client chose "prefer not to answer" at least once (DOMAIN.md §3 reports that share). */
export const usedPreferNotToAnswer = (equity: ClientEquity): boolean =>
  EQUITY_FIELDS.some((f) => equity[f] === 'PREFER_NOT_TO_ANSWER');

// ---------------------------------------------------------------------------------------------------
// Text: names and any free text a person types.

export interface TextLimits {
  /** Length bounds in Unicode code points, measured after NFC normalization and trimming. */
  min: number;
  max: number;
  /** Free text may hold line breaks and tabs; single-line text (names, titles) may not. */
  multiline?: boolean;
}

/**
 * Characters refused in any text: control characters (C0 including NUL and ESC, DEL, C1), the
 * bidirectional embedding/override/isolate controls that make text display differently from what it
 * holds, and unpaired surrogates (not valid Unicode, and not storable as UTF-8).
 */
const FORBIDDEN_CHARACTERS = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const LINE_BREAKS_AND_TABS = /\r\n|[\n\t]/g;

/** The stored form of a text: NFC-normalized and trimmed. */
export const normalizeText = (value: string): string => value.normalize('NFC').trim();

/** Checks a text after trimming: a string, within its length bounds, without forbidden characters. */
export function validateText(
  value: unknown,
  field: string,
  label: string,
  limits: TextLimits,
): MutationError | null {
  if (typeof value !== 'string') return mutationError('VALIDATION_FAILED', `${label} must be text`, field);
  const bounds = limits.min === limits.max ? `${limits.max}` : `${limits.min}–${limits.max}`;
  const tooLong = () =>
    mutationError('VALIDATION_FAILED', `${label} must be ${bounds} characters long`, field);
  // A code point is one or two UTF-16 units: refuse a huge string before normalizing it.
  if (value.length > 4 * limits.max + 64) return tooLong();
  const text = normalizeText(value);
  const checked = limits.multiline ? text.replace(LINE_BREAKS_AND_TABS, '') : text;
  if (FORBIDDEN_CHARACTERS.test(checked)) {
    return mutationError(
      'VALIDATION_FAILED',
      `${label} contains a control or invisible formatting character${limits.multiline ? '' : ' or a line break'}`,
      field,
    );
  }
  const length = [...text].length;
  if (length < limits.min) {
    return limits.min === 1
      ? mutationError('VALIDATION_FAILED', `${label} is required`, field)
      : mutationError('VALIDATION_FAILED', `${label} must be ${bounds} characters long`, field);
  }
  if (length > limits.max) return tooLong();
  return null;
}

export const NAME_LIMITS: TextLimits = { min: 1, max: 100 };

/** A name as stored: NFC, trimmed, inner runs of whitespace collapsed to one space. */
export const normalizeName = (value: string): string => normalizeText(value).replace(/\s+/gu, ' ');

/**
 * A given or family name: 1–100 characters once trimmed, on one line, without control characters
 * (a tab or line break inside a name is refused, not collapsed). Store `normalizeName(value)`.
 */
export function validateName(value: unknown, field: string, label = 'A name'): MutationError | null {
  return validateText(value, field, label, NAME_LIMITS);
}

// ---------------------------------------------------------------------------------------------------
// Age and youth.

const dateParts = (date: IsoDate): [number, number, number] => {
  if (!isIsoDate(date)) throw new RangeError(`Not a date (YYYY-MM-DD): ${String(date)}`);
  return date.split('-').map(Number) as [number, number, number];
};

/**
 * Completed years of age on `date`. Someone born on 29 February has their birthday on 1 March in a
 * common year (the day after 28 February, when the anniversary of the day of birth has passed): born
 * 2000-02-29, they are 14 on 2015-02-28 and 15 on 2015-03-01. Throws on a date before the birth date.
 */
export function ageOn(birthDate: IsoDate, date: IsoDate): number {
  const [by, bm, bd] = dateParts(birthDate);
  const [y, m, d] = dateParts(date);
  if (date < birthDate) throw new RangeError(`${date} is before the birth date ${birthDate}`);
  const birthdayPassed = m > bm || (m === bm && d >= bd);
  return y - by - (birthdayPassed ? 0 : 1);
}

export interface YouthAgeRange {
  minAge: number;
  maxAge: number;
}

/**
 * Youth are clients aged 15 to 29 inclusive on the date that matters (the plan start, for reports):
 * the age band of Youth Job Connection. Programs or reports with another band pass their own range.
 */
export const DEFAULT_YOUTH_AGE_RANGE: Readonly<YouthAgeRange> = Object.freeze({ minAge: 15, maxAge: 29 });

export function isYouth(
  birthDate: IsoDate,
  onDate: IsoDate,
  range: YouthAgeRange = DEFAULT_YOUTH_AGE_RANGE,
): boolean {
  if (!Number.isInteger(range.minAge) || !Number.isInteger(range.maxAge) || range.minAge > range.maxAge)
    throw new RangeError(`Invalid youth age range ${range.minAge}–${range.maxAge}`);
  const age = ageOn(birthDate, onDate);
  return age >= range.minAge && age <= range.maxAge;
}

/** Ages a client can plausibly have on the date a birth date is recorded or checked. */
export const PLAUSIBLE_AGE: Readonly<{ min: number; max: number }> = Object.freeze({ min: 14, max: 120 });

/** A birth date is a real date, not after `asOf` (today), giving an age of 14 to 120 on `asOf`. */
export function validateBirthDate(
  birthDate: unknown,
  asOf: IsoDate,
  field = 'input.birthDate',
): MutationError | null {
  if (!isIsoDate(birthDate))
    return mutationError('VALIDATION_FAILED', 'A birth date is a real date (YYYY-MM-DD)', field);
  if (birthDate > asOf)
    return mutationError('VALIDATION_FAILED', `The birth date ${birthDate} is after ${asOf}`, field);
  const age = ageOn(birthDate, asOf);
  if (age < PLAUSIBLE_AGE.min || age > PLAUSIBLE_AGE.max) {
    return mutationError(
      'VALIDATION_FAILED',
      `The birth date ${birthDate} makes the client ${age} on ${asOf}; clients are ${PLAUSIBLE_AGE.min} to ${PLAUSIBLE_AGE.max}`,
      field,
    );
  }
  return null;
}
