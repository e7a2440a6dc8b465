import { runExport } from '@ies/clients/src/exchange/export-runner';
import {
  EXIT,
  PROGRESS_INTERVAL_MS,
  UsageError,
  formatCount,
  log,
  openOutput,
  parseCommandArgs,
  rate,
  throttle,
} from './cli-support';
import { CommandFailure } from './exchange-kind';
import type { ExchangeSpec } from './service-exchange';

/**
 * `export <kind> --catchment <id> [--out file|-]`: every record of the catchment as NDJSON, in the
 * service's order, written under a temporary name and renamed when complete (stdout by default).
 */
export function exportCommand<L>(spec: ExchangeSpec<L>): (args: string[]) => Promise<number> {
  return async (args) => {
    const { values, positionals } = parseCommandArgs(args, {
      catchment: { type: 'string' },
      out: { type: 'string', default: '-' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    if (!values.catchment) throw new UsageError('--catchment <id> is required');
    const catchmentId = values.catchment;
    const exchange = await spec.open();
    try {
      const output = await openOutput(values.out);
      const startedAt = performance.now();
      let written = 0;
      const progress = throttle(PROGRESS_INTERVAL_MS, () =>
        log(
          `[export] ${formatCount(written)} ${spec.noun} · ${rate(written, performance.now() - startedAt)}`,
        ),
      );
      async function* counted() {
        for await (const line of exchange.exportLines(catchmentId)) {
          written += 1;
          progress();
          yield line;
        }
      }
      try {
        await runExport({ lines: counted(), output: output.stream, format: exchange.format });
        await output.commit();
      } catch (error) {
        output.abandon();
        throw new CommandFailure(
          `the export stopped after ${written} ${spec.noun}: ${(error as Error).message}`,
        );
      }
      output.summary(`${spec.kind} export: ${written} ${spec.noun} of ${catchmentId} → ${values.out}`);
      return EXIT.ok;
    } finally {
      await exchange.close();
    }
  };
}
