import { mutationError, type MutationError } from '@ies/subgraph-kit';

export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/;

/** A required free-text input: trimmed, bounded, without control characters. */
export function validateText(
  value: string,
  field: string,
  { max = 200, required = true }: { max?: number; required?: boolean } = {},
): MutationError | null {
  const trimmed = value.trim();
  if (required && trimmed.length === 0)
    return mutationError('VALIDATION_FAILED', `${field} is required`, field);
  if (trimmed.length > max)
    return mutationError('VALIDATION_FAILED', `${field} must be at most ${max} characters`, field);
  if (CONTROL_CHARACTERS.test(value))
    return mutationError('VALIDATION_FAILED', `${field} must not contain control characters`, field);
  return null;
}

/** The first refusal among checks evaluated in order (lazily). */
export function firstRefusal(...checks: (() => MutationError | null | undefined)[]): MutationError | null {
  for (const check of checks) {
    const refusal = check();
    if (refusal) return refusal;
  }
  return null;
}
