/** The typed error a mutation payload carries for an expected business outcome. */
export type MutationErrorCode =
  'VALIDATION_FAILED' | 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'RULE_VIOLATION';

export interface MutationError {
  code: MutationErrorCode;
  message: string;
  /** The input field at fault, as a dotted path (e.g. `input.transitionStartDate`), when there is one. */
  field: string | null;
}

export const mutationError = (
  code: MutationErrorCode,
  message: string,
  field: string | null = null,
): MutationError => ({
  code,
  message,
  field,
});
