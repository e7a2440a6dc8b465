import { CATCHMENTS } from '@ies/catchments/src/seed/catchment-seed';
import { DEFAULT_CATEGORIES } from '@ies/disputes/src/category/category-catalogue';
import { DISPUTE_KINDS, DISPUTE_STATUSES } from '@ies/disputes/src/dispute/dispute-lifecycle';
import { generateDisputes, type GenerateOptions } from '@ies/disputes/src/exchange/dispute-generator';
import { formatDisputeLine, type DisputeLine } from '@ies/disputes/src/exchange/dispute-line';
import { Breakdown } from './breakdown';
import { UsageError, integer, parseCommandArgs } from './cli-support';
import type { ExchangeKind } from './exchange-kind';
import { exportCommand } from './export-command';
import { writeGenerated } from './generate-command';
import { importCommand } from './import-command';
import { openServiceExchange, type ExchangeSpec } from './service-exchange';

/**
 * The dispute exchange of the disputes service (`openDisputeExchange`), opened with its variables
 * (MONGODB_URI, DISPUTES_DB_NAME, INTERNAL_SIGNING_SECRET, CATCHMENTS_SUBGRAPH_URL); it brings its own
 * parser and formatter, the ones its import target applies.
 */
const spec: ExchangeSpec<DisputeLine> = {
  kind: 'disputes',
  noun: 'disputes',
  open: () =>
    openServiceExchange(
      { service: 'disputes', exchange: 'dispute' },
      async () => (await import('@ies/disputes/src/exchange/dispute-exchange.js')).openDisputeExchange,
    ),
};

/** `disputes`: one NDJSON line per dispute, its whole status history and resolution inline. */
export const disputes: ExchangeKind = {
  name: 'disputes',
  description: 'client and service-provider disputes, history inline (the disputes service)',
  generate,
  import: importCommand(spec),
  export: exportCommand(spec),
};

async function generate(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    seed: { type: 'string' },
    out: { type: 'string' },
    scale: { type: 'string' },
    until: { type: 'string' },
    catchment: { type: 'string', multiple: true },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  if (values.seed === undefined) throw new UsageError('--seed <integer> is required');
  if (!values.out) throw new UsageError('--out <file> is required (--out - writes to stdout)');
  const options: GenerateOptions = {
    seed: integer(values.seed, 'seed'),
    scale: values.scale === undefined ? 1 : Number(values.scale),
    until: values.until,
    catchments: values.catchment && catchmentsNamed(values.catchment),
  };
  const tally = new DisputeTally();
  return writeGenerated({
    kind: spec.kind,
    noun: spec.noun,
    out: values.out,
    lines: checkedOptions(generateDisputes(options)),
    format: formatDisputeLine,
    onLine: (line) => tally.add(line),
    details: () => tally.lines(),
  });
}

function catchmentsNamed(ids: string[]) {
  return ids.map((id) => {
    const catchment = CATCHMENTS.find((c) => c.id === id);
    if (!catchment?.iesDeliveryStartDate || !catchment.ssmId)
      throw new UsageError(`${id} is not a catchment with an IES delivery start`);
    return catchment;
  });
}

/**
 * The generator checks its options when iteration starts (a RangeError): the first line is drawn
 * here, before any output is opened, so a bad option is a usage error that leaves no file behind.
 */
function checkedOptions<L>(lines: Generator<L>): Iterable<L> {
  let first: IteratorResult<L>;
  try {
    first = lines.next();
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  return (function* () {
    if (first.done) return;
    yield first.value;
    yield* lines;
  })();
}

const CATEGORY_ORDER = DEFAULT_CATEGORIES.map((category) => category._id);

/** The counts of a generated file: its opening dates, and disputes by catchment, kind, status, category. */
class DisputeTally {
  private firstOpenedOn = '';
  private lastOpenedOn = '';
  private readonly disputes = new Breakdown<DisputeLine>({
    catchment: (line) => line.catchmentId,
    kind: (line) => line.kind,
    status: (line) => line.history.at(-1)!.status,
    category: (line) => line.category,
  });

  add(line: DisputeLine): void {
    this.disputes.add(line);
    if (!this.firstOpenedOn || line.openedOn < this.firstOpenedOn) this.firstOpenedOn = line.openedOn;
    if (line.openedOn > this.lastOpenedOn) this.lastOpenedOn = line.openedOn;
  }

  lines(): string[] {
    const { disputes } = this;
    if (disputes.total === 0) return [];
    return [
      `opened ${this.firstOpenedOn} to ${this.lastOpenedOn}: ${disputes.total}`,
      `  by catchment: ${disputes.describe('catchment')}`,
      `  by kind: ${disputes.describe('kind', { order: DISPUTE_KINDS, share: true })}`,
      `  by status: ${disputes.describe('status', { order: DISPUTE_STATUSES, share: true })}`,
      `  by category: ${disputes.describe('category', { order: CATEGORY_ORDER, share: true })}`,
    ];
  }
}
