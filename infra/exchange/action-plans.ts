import {
  countPlanned,
  generateActionPlans,
  type GeneratorOptions,
} from '@ies/clients/src/exchange/action-plan-generator';
import {
  PLAN_STATUSES,
  REFERRAL_SOURCES,
  formatActionPlanLine,
  parseActionPlanLine,
  type ActionPlanLine,
} from '@ies/clients/src/exchange/action-plan-line';
import { PROTOTYPE_CATCHMENT_IDS, PROTOTYPE_WINDOW } from '@ies/clients/src/exchange/prototype-calibration';
import { Breakdown } from './breakdown';
import { UsageError, integer, parseCommandArgs, percent } from './cli-support';
import type { ExchangeKind } from './exchange-kind';
import { exportCommand } from './export-command';
import { writeGenerated } from './generate-command';
import { importCommand } from './import-command';
import { openServiceExchange, type ExchangeSpec } from './service-exchange';

/** The action-plan exchange of the clients service, opened with its variables (CLIENTS_DB_NAME…). */
const spec: ExchangeSpec<ActionPlanLine> = {
  kind: 'action-plans',
  noun: 'plans',
  async open() {
    const exchange = await openServiceExchange(
      { service: 'clients', exchange: 'action-plan' },
      async () => (await import('@ies/clients/src/exchange/action-plan-exchange.js')).openActionPlanExchange,
    );
    return { ...exchange, parse: parseActionPlanLine, format: formatActionPlanLine };
  },
};

/** `action-plans`: one NDJSON line per employment action plan, its client and assessment inline. */
export const actionPlans: ExchangeKind = {
  name: 'action-plans',
  description: 'employment action plans, client and assessment inline (the clients service)',
  generate,
  import: importCommand(spec),
  export: exportCommand(spec),
};

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
  const tally = new GeneratedTally();
  return writeGenerated({
    kind: spec.kind,
    noun: spec.noun,
    out: values.out,
    lines: generateActionPlans(options),
    format: formatActionPlanLine,
    planned,
    onLine: (plan) => tally.add(plan),
    details: () => tally.summary(),
  });
}

/** The counts a generated file should show, the prototype window's first (the published figures). */
class GeneratedTally {
  private readonly all = new Counter();
  private readonly window = new Counter();

  add(plan: ActionPlanLine): void {
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
  private readonly plans = new Breakdown<ActionPlanLine>({
    catchment: (plan) => plan.catchmentId,
    source: (plan) => plan.referralSource,
    stream: (plan) => plan.assessment?.stream ?? 'UNASSESSED',
    status: (plan) => plan.status,
  });

  get total(): number {
    return this.plans.total;
  }

  add(plan: ActionPlanLine): void {
    this.plans.add(plan);
  }

  lines(title: string): string[] {
    const { plans } = this;
    if (plans.total === 0) return [];
    const socialAssistance = plans.count('source', 'ONTARIO_WORKS') + plans.count('source', 'ODSP');
    return [
      `${title}: ${plans.total}`,
      `  by catchment: ${plans.describe('catchment')}`,
      `  by referral source: ${plans.describe('source', { order: REFERRAL_SOURCES, share: true })}; OW + ODSP ${socialAssistance} (${percent(socialAssistance, plans.total)})`,
      `  by stream: ${plans.describe('stream', { order: ['C', 'B', 'A', 'UNASSESSED'], share: true })}`,
      `  by status: ${plans.describe('status', { order: PLAN_STATUSES, share: true })}`,
    ];
  }
}
