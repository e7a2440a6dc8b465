import type { MongoBulkWriteError, WriteError } from 'mongodb';

/** True for a unique-index violation (E11000), the portable insert-if-absent signal. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** The per-document refusals of an unordered `insertMany` (the driver gives one or a list). */
export function writeErrorsOf(error: MongoBulkWriteError): readonly WriteError[] {
  const { writeErrors } = error;
  return Array.isArray(writeErrors) ? writeErrors : [writeErrors as WriteError];
}
