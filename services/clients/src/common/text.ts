import type { MutationError } from '@ies/subgraph-kit';
import { validateText as textRule } from '../client/equity';

/**
 * A free-text input (a caseworker's name, an employer, a note): the client rules' text check
 * (`client/equity.ts`: trimmed length, no control or invisible formatting characters), with the
 * field path as its label. Text longer than 200 characters may span lines.
 */
export function validateText(
  value: string,
  field: string,
  { max = 200, required = true }: { max?: number; required?: boolean } = {},
): MutationError | null {
  return textRule(value, field, field, { min: required ? 1 : 0, max, multiline: max > 200 });
}
