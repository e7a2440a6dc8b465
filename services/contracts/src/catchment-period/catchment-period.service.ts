import type { Logger } from '@ies/logger';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import type { CatchmentPeriodDoc, CatchmentPeriodModel } from './catchment-period.model';
import type { CatchmentPeriodSync } from './catchment-period-sync';

/**
 * Answers "what are this catchment's period dates?" from the replicated read model. A catchment with
 * no row yet triggers an on-demand sync (shared and rate-limited); if it is still unknown after that,
 * the caller gets a typed refusal instead of a guess.
 */
export class CatchmentPeriodService {
  constructor(
    private readonly model: CatchmentPeriodModel,
    private readonly sync: CatchmentPeriodSync,
    private readonly logger: Logger,
  ) {}

  /**
   * The periods after a fresh sync (joining one already running), for facts the ministry has just
   * changed in the catchments service, such as a newly assigned SSM. Not rate-limited: only
   * ministry-only paths call it.
   */
  async refreshedPeriodsOf(
    catchmentId: string,
    field = 'input.catchmentId',
  ): Promise<CatchmentPeriodDoc | MutationError> {
    try {
      await this.sync.syncOnDemand(0);
    } catch (error) {
      this.logger.warn({ err: error, catchmentId }, 'on-demand catchment period sync failed');
    }
    return this.periodsOf(catchmentId, field);
  }

  async periodsOf(
    catchmentId: string,
    field = 'input.catchmentId',
  ): Promise<CatchmentPeriodDoc | MutationError> {
    const known = await this.model.findById(catchmentId).lean<CatchmentPeriodDoc>();
    if (known) return known;
    try {
      await this.sync.syncOnDemand();
    } catch (error) {
      this.logger.warn({ err: error, catchmentId }, 'on-demand catchment period sync failed');
    }
    const refreshed = await this.model.findById(catchmentId).lean<CatchmentPeriodDoc>();
    return (
      refreshed ??
      mutationError(
        'RULE_VIOLATION',
        `The periods of catchment ${catchmentId} are not known to the contracts service (not synchronized from the catchments service); try again later`,
        field,
      )
    );
  }
}
