/**
 * The contract between the batch-exchange machinery (the NDJSON reader and the import/export runners
 * of `infra/exchange`, shared with the action-plan exchange) and one kind of record. Structurally the
 * same as the clients service's, so one runner drives both.
 */

/** What a parser makes of one line's text: the record, or why the line is refused. */
export type ParseResult<L> = { ok: true; line: L } | { ok: false; reason: string };

/** A line and its line number in the file (1-based, blank lines counted). */
export interface NumberedLine<L> {
  lineNumber: number;
  line: L;
}

/** What applying one line did: created something, found it already so, or refused it. */
export type LineOutcome =
  { status: 'accepted' } | { status: 'unchanged' } | { status: 'rejected'; reason: string };

/**
 * Where an import applies its lines. `applyBatch` returns exactly one outcome per line, in order; a
 * refused line changes nothing. It throws only for failures that end the import (lost connection).
 */
export interface ImportTarget<L> {
  applyBatch(lines: NumberedLine<L>[]): Promise<LineOutcome[]>;
}
