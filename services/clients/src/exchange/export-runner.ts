import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { formatActionPlanLine, type ActionPlanLine } from './action-plan-line';

export interface ExportOptions<L = ActionPlanLine> {
  lines: AsyncIterable<L> | Iterable<L>;
  output: Writable;
  /** One record as one line of text, without its newline (default: the canonical action-plan line). */
  format?: (line: L) => string;
}

/**
 * Writes records as NDJSON, one `\n`-terminated line each, waiting for `drain` whenever the output's
 * buffer is full, so a slow destination holds the source back. An error of the output (a closed pipe,
 * a full disk) ends the export with that error. The output is left open: the caller ends it (and waits
 * for `finish`) when it owns it.
 */
export async function runExport<L = ActionPlanLine>({
  lines,
  output,
  format = formatActionPlanLine as unknown as (line: L) => string,
}: ExportOptions<L>): Promise<{ written: number }> {
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure ??= error;
  };
  output.on('error', onError);
  try {
    let written = 0;
    for await (const line of lines) {
      if (failure) throw failure;
      if (output.destroyed) throw new Error('The export output was closed before the export ended');
      if (!output.write(`${format(line)}\n`)) await once(output, 'drain');
      written += 1;
    }
    if (failure) throw failure;
    return { written };
  } finally {
    output.off('error', onError);
  }
}
