import { runExport } from '@ies/clients/src/exchange/export-runner';
import { EXIT, PROGRESS_INTERVAL_MS, formatCount, log, openOutput, rate, throttle } from './cli-support';
import { CommandFailure } from './exchange-kind';

export interface GeneratedFile<L> {
  /** The kind and what a line is, plural: `action-plans`, `plans`. */
  kind: string;
  noun: string;
  /** `--out`: a file, or `-` for stdout. */
  out: string;
  lines: Iterable<L>;
  format: (line: L) => string;
  /** How many lines the options promise, when the kind can tell beforehand (progress shows `n of m`). */
  planned?: number;
  /** Sees every line as it is written (the kind's tally). */
  onLine?(line: L): void;
  /** The counts written after the total, each indented under it. */
  details?(): string[];
}

/**
 * Writes generated lines as NDJSON (under a temporary name, renamed when complete), with progress every
 * 2 s, then the total and the kind's counts: on stdout, or stderr when the data itself is on stdout.
 */
export async function writeGenerated<L>(file: GeneratedFile<L>): Promise<number> {
  const output = await openOutput(file.out);
  let total = 0;
  const startedAt = performance.now();
  const of = file.planned === undefined ? '' : ` of ${formatCount(file.planned)}`;
  const progress = throttle(PROGRESS_INTERVAL_MS, () =>
    log(`[generate] ${formatCount(total)}${of} ${file.noun} · ${rate(total, performance.now() - startedAt)}`),
  );
  function* counted() {
    for (const line of file.lines) {
      total += 1;
      file.onLine?.(line);
      progress();
      yield line;
    }
  }
  try {
    await runExport({ lines: counted(), output: output.stream, format: file.format });
    await output.commit();
  } catch (error) {
    output.abandon();
    throw error;
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  output.summary(`${file.kind} generate: ${total} ${file.noun} in ${seconds} s → ${file.out}`);
  for (const line of file.details?.() ?? []) output.summary(`  ${line}`);
  if (file.planned !== undefined && total !== file.planned)
    throw new CommandFailure(`expected ${file.planned} ${file.noun}, generated ${total}`);
  return EXIT.ok;
}
