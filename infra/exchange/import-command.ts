import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ImportCounts } from '@ies/clients/src/exchange/exchange-types';
import { runImport } from '@ies/clients/src/exchange/import-runner';
import {
  EXIT,
  PROGRESS_INTERVAL_MS,
  UsageError,
  formatCount,
  integer,
  log,
  parseCommandArgs,
  rate,
  throttle,
} from './cli-support';
import { CommandFailure } from './exchange-kind';
import type { ExchangeSpec, ServiceExchange } from './service-exchange';

async function openInput(path: string): Promise<Readable> {
  if (path === '-') return process.stdin;
  const stream = createReadStream(path);
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new UsageError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return stream;
}

const progressLine = (c: ImportCounts) =>
  `[import] ${formatCount(c.lines)} lines · ${formatCount(c.accepted)} accepted · ${formatCount(c.unchanged)} unchanged · ${formatCount(c.rejected)} rejected · ${rate(c.lines, c.elapsedMs)}`;

/**
 * `import <kind> <file|-> [--batch-size n]`: streams the file through the service's rules. Each rejected
 * line is logged as `line N: reason`, progress every 2 s, the counts at the end on stdout; exit 2 when
 * some lines were rejected. A failure that ends the import (a lost connection) says how far it got:
 * the lines before were applied, and importing again is safe (the import is idempotent).
 */
export function importCommand<L>(spec: ExchangeSpec<L>): (args: string[]) => Promise<number> {
  return async (args) => {
    const { values, positionals } = parseCommandArgs(args, { 'batch-size': { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError(`import ${spec.kind} takes one file (- reads stdin)`);
    const batchSize = integer(values['batch-size'], 'batch-size', 500);
    if (batchSize < 1) throw new UsageError('--batch-size must be at least 1');
    const input = await openInput(positionals[0]!);
    let exchange: ServiceExchange<L>;
    try {
      exchange = await spec.open();
    } catch (error) {
      input.destroy();
      throw error;
    }
    let latest: ImportCounts | undefined;
    const progress = throttle(PROGRESS_INTERVAL_MS, () => latest && log(progressLine(latest)));
    try {
      const result = await runImport({
        input,
        parse: exchange.parse,
        target: exchange.target,
        batchSize,
        maxErrorsKept: 0,
        onRejected: (lineNumber, reason) => log(`line ${lineNumber}: ${reason}`),
        onProgress: (counts) => {
          latest = counts;
          progress();
        },
      });
      process.stdout.write(
        `${spec.kind} import: ${result.lines} lines, ${result.accepted} accepted, ${result.unchanged} unchanged, ${result.rejected} rejected in ${(result.elapsedMs / 1000).toFixed(1)} s\n`,
      );
      return result.rejected > 0 ? EXIT.rejectedLines : EXIT.ok;
    } catch (error) {
      const where = latest
        ? ` after ${latest.lines} lines (those were applied; importing again is safe)`
        : '';
      throw new CommandFailure(`the import stopped${where}: ${(error as Error).message}`);
    } finally {
      input.destroy();
      await exchange.close();
    }
  };
}
