import { createHash, randomBytes } from 'node:crypto';
import type { IsoDate } from '@ies/calendar';

/** A dispute's id follows from its reference (the natural key), so two opens of one reference collide. */
export const disputeIdFor = (reference: string): string =>
  `dsp-${createHash('sha256').update(reference).digest('hex').slice(0, 20)}`;

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * A new reference for a dispute opened through the API: `D-<year>-<8 random characters>` (no
 * counters: FerretDB loses concurrent increments, and a random suffix needs no coordination).
 */
export function newDisputeReference(openedOn: IsoDate): string {
  const bytes = randomBytes(8);
  const suffix = [...bytes].map((b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join('');
  return `D-${openedOn.slice(0, 4)}-${suffix}`;
}

/** The reference of a reopening: `<first reference>-R<n>` (reserved to reopenings). */
export const REOPENING_REFERENCE = /^(.*)-R(\d+)$/;

/**
 * The reference of the dispute reopening `closed`: `<first reference>-R<n>`, one more than the closed
 * one's. It follows from the closed dispute, so two simultaneous reopenings are one CONFLICT.
 */
export function reopeningReference(closed: { reference: string; reopenedFrom: string | null }): string {
  const numbered = closed.reopenedFrom ? REOPENING_REFERENCE.exec(closed.reference) : null;
  return numbered ? `${numbered[1]}-R${Number(numbered[2]) + 1}` : `${closed.reference}-R1`;
}

/** References are printable, without surrounding blanks, up to 64 characters. */
export const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
