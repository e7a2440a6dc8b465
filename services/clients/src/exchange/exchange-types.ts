/**
 * The contract between the generic batch-exchange machinery (NDJSON reader, import and export runners)
 * and a kind of record (action plans today, disputes later). The runners know nothing of the record;
 * a kind supplies a line parser and an import target.
 */

/** What a parser makes of one line's text: the record, or why the line is refused. */
export type ParseResult<L> = { ok: true; line: L } | { ok: false; reason: string };

export type LineParser<L> = (text: string) => ParseResult<L>;

/** A parsed line and its line number in the file (1-based, blank lines counted). */
export interface NumberedLine<L> {
  lineNumber: number;
  line: L;
}

/** What applying one line did: created or changed something, found it already so, or refused it. */
export type LineOutcome =
  { status: 'accepted' } | { status: 'unchanged' } | { status: 'rejected'; reason: string };

/**
 * Where an import applies its lines (the service, through its rules). `applyBatch` returns exactly one
 * outcome per input line, in the same order; a refused line must change nothing. It throws only for
 * failures that make every further line pointless (lost connection), which end the import.
 */
export interface ImportTarget<L> {
  applyBatch(lines: NumberedLine<L>[]): Promise<LineOutcome[]>;
}

export interface LineError {
  lineNumber: number;
  reason: string;
}

/** Running totals. `lines` counts non-blank lines: always `accepted + unchanged + rejected`. */
export interface ImportCounts {
  lines: number;
  accepted: number;
  unchanged: number;
  rejected: number;
  elapsedMs: number;
}

export interface ImportResult extends ImportCounts {
  /** The first `maxErrorsKept` rejected lines, in line order. */
  errors: LineError[];
}
