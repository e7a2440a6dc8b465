import type { z } from 'zod';

/** At most this many problems are named in one line's reason; the count of the others follows. */
export const MAX_REASONS_PER_LINE = 3;

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

/** `client.birthDate`, `jobs[0].hourlyWageCents`; the line itself is `(line)`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(line)' : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Messages written with the schema are used as they are; zod's generic ones are reworded. */
const isGeneric = (message: string) => /^(Invalid|Too (big|small)|Unrecognized)/.test(message);

function describe(issue: z.core.$ZodIssue, input: unknown): string[] {
  const path = fieldPath(issue.path);
  if (
    (issue.code === 'invalid_type' || issue.code === 'invalid_value') &&
    valueAt(input, issue.path) === undefined
  )
    return [`${path}: required`];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${fieldPath([...issue.path, key])}: unknown field`);
    case 'invalid_type': {
      const value = valueAt(input, issue.path);
      if (!isGeneric(issue.message)) return [`${path}: ${issue.message}`];
      if (value === null) return [`${path}: must not be null`];
      return [`${path}: expected ${EXPECTED[issue.expected] ?? issue.expected}`];
    }
    case 'invalid_value':
      return [`${path}: must be one of ${issue.values.map(String).join(', ')}`];
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const word = issue.code === 'too_small' ? 'at least' : 'at most';
      if (issue.origin === 'string') return [`${path}: must be ${word} ${bound} characters`];
      if (issue.origin === 'array') return [`${path}: must have ${word} ${bound} items`];
      return [`${path}: must be ${issue.code === 'too_small' ? '≥' : '≤'} ${bound}`];
    }
    default:
      return [`${path}: ${isGeneric(issue.message) ? 'invalid value' : issue.message}`];
  }
}

/** One reason for a refused line: its first problems, each with its field path. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  const reasons = issues.flatMap((issue) => describe(issue, input));
  const shown = reasons.slice(0, MAX_REASONS_PER_LINE).join('; ');
  const more = reasons.length - MAX_REASONS_PER_LINE;
  return more > 0 ? `${shown} (and ${more} more)` : shown;
}
