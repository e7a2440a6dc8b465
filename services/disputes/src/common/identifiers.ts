import { badUserInput, mutationError, type MutationError } from '@ies/subgraph-kit';

/**
 * A plain identifier (a catchment, provider, client, SSM, category or dispute id): a letter or digit,
 * then letters, digits, `.`, `_`, `:` or `-`, at most 128 characters. Anything else (a NUL or another
 * control character, spaces, operators) is refused before it reaches a query: the embedded engine
 * answers an internal error for a NUL.
 */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const isIdentifier = (value: string): boolean => IDENTIFIER.test(value);

/** The first of these (field → value) that is given and is not a plain identifier, as VALIDATION_FAILED. */
export function refuseIdentifiers(values: Record<string, string | null | undefined>): MutationError | null {
  for (const [field, value] of Object.entries(values)) {
    if (value != null && !isIdentifier(value))
      return mutationError('VALIDATION_FAILED', `${field} is not an identifier`, field);
  }
  return null;
}

/** For queries: throws BAD_USER_INPUT when one of these is given and is not a plain identifier. */
export function assertIdentifiers(
  values: Record<string, string | readonly string[] | null | undefined>,
): void {
  for (const [field, value] of Object.entries(values)) {
    const all = value == null ? [] : typeof value === 'string' ? [value] : value;
    if (all.some((v) => !isIdentifier(v))) throw badUserInput(`${field} is not an identifier`, field);
  }
}
