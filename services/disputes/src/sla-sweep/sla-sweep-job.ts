import { isIsoDate, todayInOntario, type IsoDate } from '@ies/calendar';
import {
  keepJobSchedulers,
  UnrecoverableError,
  type Jobs,
  type Processor,
  type Queue,
  type SchedulerDeclaration,
  type Worker,
} from '@ies/jobs';
import type { Logger } from '@ies/logger';
import type { SlaSweep, SweepResult } from './sla-sweep';

export const SLA_SWEEP_QUEUE = 'disputes-sla-sweep';
export const SLA_SWEEP_SCHEDULER = 'dispute-sla-sweep';

/**
 * A sweep job's data: the scheduler's jobs carry none (today); an operator or a test may name a date,
 * today or earlier (a later one is refused: it would escalate every running clock and date the changes
 * ahead).
 */
export interface SlaSweepJobData {
  asOf?: IsoDate;
}

/** The recurring sweep: every `everyMs`, first run at once. */
export const slaSweepSchedulers = (everyMs: number): SchedulerDeclaration[] => [
  { queue: SLA_SWEEP_QUEUE, id: SLA_SWEEP_SCHEDULER, repeat: { every: everyMs }, job: { name: 'sweep' } },
];

/** The processor: idempotent (SlaSweep), so BullMQ's at-least-once delivery is harmless. */
export const slaSweepProcessor =
  (sweep: SlaSweep): Processor<SlaSweepJobData, SweepResult> =>
  async (job, log) => {
    const asOf = job.data?.asOf;
    if (asOf !== undefined && !isIsoDate(asOf))
      throw new UnrecoverableError(`asOf is not a calendar date: ${JSON.stringify(asOf)}`);
    if (asOf !== undefined && asOf > todayInOntario())
      throw new UnrecoverableError(`asOf is later than today (${todayInOntario()}): ${asOf}`);
    log.info({ asOf: asOf ?? 'today' }, 'dispute SLA sweep started');
    const result = await sweep.run(asOf);
    await job.updateProgress(100);
    return result;
  };

/**
 * Consumes the sweep queue and upserts its scheduler (keepJobSchedulers: idempotent, again whenever Redis comes back, so every
 * worker replica may do it; one job per interval is produced). The worker starts once the scheduler
 * exists. Closing is the caller's `jobs.close()`.
 */
export async function startSlaSweepJob(options: {
  jobs: Jobs;
  sweep: SlaSweep;
  everyMs: number;
  logger: Logger;
  /** False for a worker that only consumes (tests add their own jobs). */
  schedule?: boolean;
}): Promise<{ queue: Queue<SlaSweepJobData, SweepResult>; worker: Worker<SlaSweepJobData, SweepResult> }> {
  const queue = await options.jobs.queue<SlaSweepJobData, SweepResult>(SLA_SWEEP_QUEUE);
  const worker = await options.jobs.worker<SlaSweepJobData, SweepResult>(
    SLA_SWEEP_QUEUE,
    slaSweepProcessor(options.sweep),
    { autorun: false },
  );
  if (options.schedule ?? true) {
    await keepJobSchedulers(options.jobs, slaSweepSchedulers(options.everyMs), options.logger);
  }
  worker.run().catch((error: unknown) => options.logger.error({ err: error }, 'SLA sweep worker stopped'));
  return { queue, worker };
}
