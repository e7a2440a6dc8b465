/** True for a unique-index violation (E11000), the portable insert-if-absent signal. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
