import type { Readable } from 'node:stream';
import type {
  ImportCounts,
  ImportResult,
  ImportTarget,
  LineError,
  LineOutcome,
  LineParser,
  NumberedLine,
} from './exchange-types';
import { readNdjson } from './ndjson';

export interface ImportOptions<L> {
  input: Readable | AsyncIterable<Uint8Array | string>;
  parse: LineParser<L>;
  target: ImportTarget<L>;
  /** Lines read before the parsed ones go to the target in one `applyBatch` (default 500). */
  batchSize?: number;
  /** Called after every batch with the running totals. */
  onProgress?: (counts: ImportCounts) => void;
  /** How many rejected lines the result lists (default 1000); `onRejected` sees them all. */
  maxErrorsKept?: number;
  /** Called for every rejected line, in line order. */
  onRejected?: (lineNumber: number, reason: string) => void;
  maxLineBytes?: number;
}

type Pending<L> =
  { lineNumber: number; line: L; reason?: undefined } | { lineNumber: number; reason: string };

/**
 * Streams an NDJSON file into a target. Lines are read, parsed and gathered until `batchSize` lines are
 * waiting; the parsed ones go to the target in one call, and the next line is read only once that call
 * has answered, so memory stays flat however long the file is. A line that cannot be read or parsed is
 * rejected without reaching the target. Outcomes and rejections are reported in line order.
 */
export async function runImport<L>(options: ImportOptions<L>): Promise<ImportResult> {
  const { input, parse, target, onProgress, onRejected } = options;
  const batchSize = options.batchSize ?? 500;
  const maxErrorsKept = options.maxErrorsKept ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  if (!Number.isInteger(maxErrorsKept) || maxErrorsKept < 0)
    throw new RangeError('maxErrorsKept must be a non-negative integer');

  const startedAt = performance.now();
  const counts = { lines: 0, accepted: 0, unchanged: 0, rejected: 0 };
  const errors: LineError[] = [];
  const snapshot = (): ImportCounts => ({ ...counts, elapsedMs: Math.round(performance.now() - startedAt) });

  const reject = (lineNumber: number, reason: string) => {
    counts.rejected += 1;
    if (errors.length < maxErrorsKept) errors.push({ lineNumber, reason });
    onRejected?.(lineNumber, reason);
  };

  let pending: Pending<L>[] = [];
  const flush = async () => {
    const parsed = pending.filter((p): p is NumberedLine<L> => p.reason === undefined);
    const outcomes = parsed.length > 0 ? await target.applyBatch(parsed) : [];
    checkOutcomes(outcomes, parsed.length);
    let next = 0;
    for (const entry of pending) {
      counts.lines += 1;
      if (entry.reason !== undefined) {
        reject(entry.lineNumber, entry.reason);
        continue;
      }
      const outcome = outcomes[next++]!;
      if (outcome.status === 'rejected') reject(entry.lineNumber, outcome.reason);
      else counts[outcome.status] += 1;
    }
    pending = [];
    onProgress?.(snapshot());
  };

  for await (const read of readNdjson(input, { maxLineBytes: options.maxLineBytes })) {
    if (read.text === null) {
      pending.push({ lineNumber: read.lineNumber, reason: read.error });
    } else {
      const result = parse(read.text);
      pending.push(
        result.ok
          ? { lineNumber: read.lineNumber, line: result.line }
          : { lineNumber: read.lineNumber, reason: result.reason },
      );
    }
    if (pending.length >= batchSize) await flush();
  }
  if (pending.length > 0) await flush();
  return { ...snapshot(), errors };
}

/** A target that breaks its contract is a bug: the import stops rather than miscount. */
function checkOutcomes(outcomes: LineOutcome[], expected: number): void {
  if (!Array.isArray(outcomes) || outcomes.length !== expected)
    throw new Error(`Import target returned ${outcomes?.length} outcomes for ${expected} lines`);
  for (const outcome of outcomes) {
    const valid =
      outcome?.status === 'accepted' ||
      outcome?.status === 'unchanged' ||
      (outcome?.status === 'rejected' && typeof outcome.reason === 'string' && outcome.reason.length > 0);
    if (!valid) throw new Error(`Import target returned an invalid outcome: ${JSON.stringify(outcome)}`);
  }
}
