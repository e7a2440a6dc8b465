import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  countPlanned,
  generateActionPlans,
  type GeneratorOptions,
} from '@ies/clients/src/exchange/action-plan-generator';
import {
  PLAN_STATUSES,
  REFERRAL_SOURCES,
  parseActionPlanLine,
  type ActionPlanLine,
} from '@ies/clients/src/exchange/action-plan-line';
import type { openActionPlanExchange } from '@ies/clients/src/exchange/action-plan-exchange';
import type { ImportCounts } from '@ies/clients/src/exchange/exchange-types';
import { runExport } from '@ies/clients/src/exchange/export-runner';
import { runImport } from '@ies/clients/src/exchange/import-runner';
import { PROTOTYPE_CATCHMENT_IDS, PROTOTYPE_WINDOW } from '@ies/clients/src/exchange/prototype-calibration';
import {
  EXIT,
  PROGRESS_INTERVAL_MS,
  UsageError,
  formatCount,
  integer,
  log,
  openOutput,
  parseCommandArgs,
  percent,
  throttle,
} from './cli-support';
import { CommandFailure, type ExchangeKind } from './exchange-kind';

/** `action-plans`: one NDJSON line per employment action plan, its client and assessment inline. */
export const actionPlans: ExchangeKind = {
  name: 'action-plans',
  generate,
  import: importPlans,
  export: exportPlans,
};

const rate = (n: number, ms: number) => `${formatCount(Math.round((n * 1000) / Math.max(ms, 1)))}/s`;

async function generate(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    seed: { type: 'string' },
    out: { type: 'string' },
    scale: { type: 'string' },
    set: { type: 'string' },
    until: { type: 'string' },
    catchment: { type: 'string', multiple: true },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  if (values.seed === undefined) throw new UsageError('--seed <integer> is required');
  if (!values.out) throw new UsageError('--out <file> is required (--out - writes to stdout)');
  const options: GeneratorOptions = {
    seed: integer(values.seed, 'seed'),
    scale: values.scale === undefined ? 1 : Number(values.scale),
    until: values.until,
    set: values.set as GeneratorOptions['set'],
    catchments: values.catchment,
  };
  let planned: number;
  try {
    planned = countPlanned(options).total;
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }

  const output = await openOutput(values.out);
  const tally = new GeneratedTally();
  const startedAt = performance.now();
  const progress = throttle(PROGRESS_INTERVAL_MS, () =>
    log(
      `[generate] ${formatCount(tally.total)} of ${formatCount(planned)} plans · ${rate(tally.total, performance.now() - startedAt)}`,
    ),
  );
  function* counted() {
    for (const plan of generateActionPlans(options)) {
      tally.add(plan);
      progress();
      yield plan;
    }
  }
  try {
    await runExport({ lines: counted(), output: output.stream });
    await output.commit();
  } catch (error) {
    output.abandon();
    throw error;
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  output.summary(`action-plans generate: ${tally.total} plans in ${seconds} s → ${values.out}`);
  for (const line of tally.summary()) output.summary(`  ${line}`);
  if (tally.total !== planned)
    throw new CommandFailure(`expected ${planned} plans, generated ${tally.total}`);
  return EXIT.ok;
}

/** The counts a generated file should show, the prototype window's first (the published figures). */
class GeneratedTally {
  total = 0;
  private readonly all = new Counter();
  private readonly window = new Counter();

  add(plan: ActionPlanLine): void {
    this.total += 1;
    this.all.add(plan);
    const inWindow =
      (PROTOTYPE_CATCHMENT_IDS as readonly string[]).includes(plan.catchmentId) &&
      plan.startedOn >= PROTOTYPE_WINDOW.from &&
      plan.startedOn <= PROTOTYPE_WINDOW.to;
    if (inWindow) this.window.add(plan);
  }

  summary(): string[] {
    const window = `prototype window (${PROTOTYPE_WINDOW.from} to ${PROTOTYPE_WINDOW.to})`;
    // The whole set is listed too when it holds more than the window.
    const all = this.all.total > this.window.total ? this.all.lines('all plans') : [];
    return [...this.window.lines(window), ...all];
  }
}

class Counter {
  total = 0;
  private readonly counts = new Map<string, number>();

  add(plan: ActionPlanLine): void {
    this.total += 1;
    for (const key of [
      `catchment ${plan.catchmentId}`,
      `source ${plan.referralSource}`,
      `stream ${plan.assessment?.stream ?? 'UNASSESSED'}`,
      `status ${plan.status}`,
    ])
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  lines(title: string): string[] {
    if (this.total === 0) return [];
    const n = (key: string) => this.counts.get(key) ?? 0;
    const group = (prefix: string, order: readonly string[] | null, withShare: boolean) =>
      (
        order ??
        [...this.counts.keys()]
          .filter((k) => k.startsWith(`${prefix} `))
          .map((k) => k.slice(prefix.length + 1))
      )
        .filter((value) => n(`${prefix} ${value}`) > 0)
        .map((value) => {
          const count = n(`${prefix} ${value}`);
          return `${value} ${count}${withShare ? ` (${percent(count, this.total)})` : ''}`;
        })
        .join(' · ');
    const socialAssistance = n('source ONTARIO_WORKS') + n('source ODSP');
    return [
      `${title}: ${this.total}`,
      `  by catchment: ${group('catchment', null, false)}`,
      `  by referral source: ${group('source', REFERRAL_SOURCES, true)}; OW + ODSP ${socialAssistance} (${percent(socialAssistance, this.total)})`,
      `  by stream: ${group('stream', ['C', 'B', 'A', 'UNASSESSED'], true)}`,
      `  by status: ${group('status', PLAN_STATUSES, true)}`,
    ];
  }
}

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

async function openExchange() {
  let open: typeof openActionPlanExchange;
  try {
    // Loaded on use, so `generate` never loads the service (its database driver, its configuration).
    ({ openActionPlanExchange: open } = await import('@ies/clients/src/exchange/action-plan-exchange.js'));
  } catch (error) {
    throw new CommandFailure(
      `the clients service's exchange could not be loaded: ${(error as Error).message}`,
    );
  }
  try {
    return await open(process.env);
  } catch (error) {
    throw new CommandFailure(`cannot open the action-plan exchange: ${(error as Error).message}`);
  }
}

const progressLine = (c: ImportCounts) =>
  `[import] ${formatCount(c.lines)} lines · ${formatCount(c.accepted)} accepted · ${formatCount(c.unchanged)} unchanged · ${formatCount(c.rejected)} rejected · ${rate(c.lines, c.elapsedMs)}`;

async function importPlans(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { 'batch-size': { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('import action-plans takes one file (- reads stdin)');
  const batchSize = integer(values['batch-size'], 'batch-size', 500);
  if (batchSize < 1) throw new UsageError('--batch-size must be at least 1');
  const input = await openInput(positionals[0]!);
  let exchange: Awaited<ReturnType<typeof openExchange>>;
  try {
    exchange = await openExchange();
  } catch (error) {
    input.destroy();
    throw error;
  }
  let latest: ImportCounts | undefined;
  const progress = throttle(PROGRESS_INTERVAL_MS, () => latest && log(progressLine(latest)));
  try {
    const result = await runImport({
      input,
      parse: parseActionPlanLine,
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
      `action-plans import: ${result.lines} lines, ${result.accepted} accepted, ${result.unchanged} unchanged, ${result.rejected} rejected in ${(result.elapsedMs / 1000).toFixed(1)} s\n`,
    );
    return result.rejected > 0 ? EXIT.rejectedLines : EXIT.ok;
  } catch (error) {
    const where = latest ? ` after ${latest.lines} lines (those were applied; importing again is safe)` : '';
    throw new CommandFailure(`the import stopped${where}: ${(error as Error).message}`);
  } finally {
    input.destroy();
    await exchange.close();
  }
}

async function exportPlans(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    catchment: { type: 'string' },
    out: { type: 'string', default: '-' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  if (!values.catchment) throw new UsageError('--catchment <id> is required');
  const catchmentId = values.catchment;
  const exchange = await openExchange();
  try {
    const output = await openOutput(values.out);
    const startedAt = performance.now();
    let written = 0;
    const progress = throttle(PROGRESS_INTERVAL_MS, () =>
      log(`[export] ${formatCount(written)} plans · ${rate(written, performance.now() - startedAt)}`),
    );
    async function* counted() {
      for await (const plan of exchange.exportLines(catchmentId)) {
        written += 1;
        progress();
        yield plan;
      }
    }
    try {
      await runExport({ lines: counted(), output: output.stream });
      await output.commit();
    } catch (error) {
      output.abandon();
      throw new CommandFailure(`the export stopped after ${written} plans: ${(error as Error).message}`);
    }
    output.summary(`action-plans export: ${written} plans of ${catchmentId} → ${values.out}`);
    return EXIT.ok;
  } finally {
    await exchange.close();
  }
}
