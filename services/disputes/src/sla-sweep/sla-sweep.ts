import type { ChangeLog } from '@ies/change-log';
import { todayInOntario, type IsoDate } from '@ies/calendar';
import type { Logger } from '@ies/logger';
import type { DisputeDoc, DisputeModel } from '../dispute/dispute.model';
import { breachPlan, SWEEP_ACTOR, unrecordedBreach } from './sla-breach';

export interface SweepResult {
  asOf: IsoDate;
  /** Open disputes read. */
  scanned: number;
  /** Breaches this run recorded (each exactly once across all runs). */
  breachesRecorded: number;
  /** Of those, the ones this run escalated. */
  escalated: number;
  /** Writes lost to another writer of the same dispute (then re-read and re-planned). */
  conflicts: number;
}

/** Attempts per dispute when other writers keep winning; what is left waits for the next run. */
const MAX_ATTEMPTS = 5;

/**
 * Sweeps the running SLA clocks of every open dispute on `asOf` (default today in Ontario): records
 * each breach once and escalates the dispute to the next level (sla-breach.ts). Idempotent: a second
 * run, or any number of runs at once (two workers), records and escalates nothing more, because each
 * breach is the next version of its dispute's change log (one writer wins it, the others re-read and
 * find it recorded).
 */
export class SlaSweep {
  constructor(
    private readonly deps: { disputes: DisputeModel; log: ChangeLog<DisputeDoc>; logger: Logger },
  ) {}

  async run(asOf: IsoDate = todayInOntario()): Promise<SweepResult> {
    // A sweep "as of" a future date would breach clocks that are still running, escalate them and
    // date the changes ahead, so that no real change could follow (dates never go back).
    const today = todayInOntario();
    if (asOf > today)
      throw new RangeError(`An SLA sweep runs as of today (${today}) or earlier, not ${asOf}`);
    const result: SweepResult = { asOf, scanned: 0, breachesRecorded: 0, escalated: 0, conflicts: 0 };
    const open = await this.deps.log.overlay(
      await this.deps.disputes.find({ open: true }).lean<DisputeDoc[]>(),
    );
    for (const doc of open) {
      result.scanned++;
      if (unrecordedBreach(doc, asOf)) await this.handle(doc._id, asOf, result);
    }
    this.deps.logger.info(result, 'dispute SLA sweep finished');
    return result;
  }

  /** Records the dispute's breaches one change at a time, re-reading after a lost race. */
  private async handle(id: string, asOf: IsoDate, result: SweepResult): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS;) {
      const outcome = await this.deps.log.change<'nothing'>(
        SWEEP_ACTOR,
        id,
        { reason: 'SLA clock breached: recorded by the SLA sweep', asOf },
        (current) => breachPlan(current, asOf) ?? { refused: 'nothing' },
      );
      if (outcome.status === 'applied') {
        result.breachesRecorded++;
        if (outcome.record.kind === 'SLA_ESCALATION') result.escalated++;
        continue;
      }
      if (outcome.status !== 'conflict') return;
      result.conflicts++;
      attempt++;
    }
    this.deps.logger.warn(
      { disputeId: id },
      'dispute kept changing during the SLA sweep; left for the next run',
    );
  }
}
