import type { Principal } from '@ies/auth';
import { mutationError, type MutationError } from './mutation-error';
import { forbiddenCharactersMessage, hasForbiddenCharacters, type TextKind } from './text-input';

/** Changes reserved to the ministry (the system steward) are refused to every other role. */
export function refuseUnlessMinistry(principal: Principal, action: string): MutationError | null {
  return principal.role === 'MINISTRY'
    ? null
    : mutationError('FORBIDDEN', `Only the ministry may ${action}; caller is ${principal.role}`);
}

export const MAX_REASON_LENGTH = 1000;

/**
 * Refuses a name (`kind: 'name'`) or free text (`'text'`, which may break lines) holding control
 * characters or bidirectional overrides, as VALIDATION_FAILED on `field`.
 */
export function validateText(
  value: string,
  field: string,
  label: string,
  kind: TextKind,
): MutationError | null {
  return hasForbiddenCharacters(value, kind)
    ? mutationError('VALIDATION_FAILED', forbiddenCharactersMessage(label, kind), field)
    : null;
}

/** Every change needs a reason a person wrote, in plain text. */
export function validateReason(reason: string): MutationError | null {
  const invalid = validateText(reason, 'input.reason', 'The reason', 'text');
  if (invalid) return invalid;
  const trimmed = reason.trim();
  if (trimmed.length === 0)
    return mutationError('VALIDATION_FAILED', 'A reason for the change is required', 'input.reason');
  if (trimmed.length > MAX_REASON_LENGTH) {
    return mutationError(
      'VALIDATION_FAILED',
      `The reason must be at most ${MAX_REASON_LENGTH} characters`,
      'input.reason',
    );
  }
  return null;
}
