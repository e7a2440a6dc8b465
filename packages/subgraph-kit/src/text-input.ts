/**
 * Characters no name may hold: every control character (NUL, ESC and the terminal sequences it
 * starts, CR, DEL, the C1 range) and the bidirectional embeddings, overrides and isolates that make
 * text display other than it reads. They have no business in a name, and they corrupt logs,
 * terminals, CSV exports and the screens that show the name.
 */
const NOT_IN_NAMES = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** Free text (a reason) may also break lines and indent: the same set less `\n` and `\t`. */
const NOT_IN_TEXT = /[^\P{Cc}\n\t]|[\u202A-\u202E\u2066-\u2069]/u;

export type TextKind = 'name' | 'text';

/** Whether a value holds a character its kind forbids. */
export function hasForbiddenCharacters(value: string, kind: TextKind): boolean {
  return (kind === 'name' ? NOT_IN_NAMES : NOT_IN_TEXT).test(value);
}

/** The message every refusal of such a character carries. */
export const forbiddenCharactersMessage = (label: string, kind: TextKind) =>
  `${label} must not contain control characters (NUL, escape${kind === 'name' ? ', line breaks' : ', carriage return'}…) or bidirectional overrides`;
