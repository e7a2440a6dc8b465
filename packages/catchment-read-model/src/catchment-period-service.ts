import type { CatchmentPeriods } from './catchment-periods';
import type { CatchmentReadModel } from './catchment-read-model';
import type { CatchmentSync } from './catchment-sync';
import type { Logger } from '@ies/logger';
import { mutationError, type MutationError } from '@ies/subgraph-kit';

/**
 * Answers, for any service that copies the catchments, "what are this catchment's period dates, and who is its SSM now?" from the service's copy
 * of the catchments (`@ies/catchment-read-model`). A catchment not copied yet triggers an on-demand
 * sync (shared and rate-limited); if it is still unknown after that, the caller gets a typed refusal
 * instead of a guess.
 */
export class CatchmentPeriodService {
  constructor(
    private readonly readModel: CatchmentReadModel,
    private readonly sync: CatchmentSync,
    private readonly logger: Logger,
    /** The service holding this copy, named in refusals (e.g. `contracts`). */
    private readonly serviceName: string,
  ) {}

  /**
   * The periods after a fresh sync (joining one already running), for facts the ministry has just
   * changed in the catchments service, such as a newly assigned SSM. Not rate-limited: only
   * ministry-only paths call it.
   */
  async refreshedPeriodsOf(
    catchmentId: string,
    field = 'input.catchmentId',
  ): Promise<CatchmentPeriods | MutationError> {
    await this.syncOnDemand(catchmentId, 0);
    return this.periodsOf(catchmentId, field);
  }

  async periodsOf(
    catchmentId: string,
    field = 'input.catchmentId',
  ): Promise<CatchmentPeriods | MutationError> {
    const known = (await this.readModel.periodsOf([catchmentId])).get(catchmentId);
    if (known) return known;
    await this.syncOnDemand(catchmentId);
    const synced = (await this.readModel.periodsOf([catchmentId])).get(catchmentId);
    if (synced) return synced;
    // With a copy of the catchments in hand, an id not in it is not a catchment; without one (the
    // catchments service never answered yet), the service cannot tell.
    return (await this.readModel.hasCopies())
      ? mutationError('NOT_FOUND', `No catchment ${catchmentId}`, field)
      : mutationError(
          'RULE_VIOLATION',
          `The periods of catchment ${catchmentId} are not known to the ${this.serviceName} service (not synchronized from the catchments service); try again later`,
          field,
        );
  }

  /** The newest known periods of several catchments (no sync): for read paths. */
  knownPeriodsOf(catchmentIds: readonly string[]): Promise<Map<string, CatchmentPeriods>> {
    return this.readModel.periodsOf(catchmentIds);
  }

  /** The catchments each SSM manages now, by the newest copy. */
  catchmentsManagedBy(ssmIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.readModel.catchmentsManagedBy(ssmIds);
  }

  private async syncOnDemand(catchmentId: string, minIntervalMs?: number): Promise<void> {
    try {
      await this.sync.syncOnDemand(minIntervalMs);
    } catch (error) {
      this.logger.warn({ err: error, catchmentId }, 'on-demand catchment period sync failed');
    }
  }
}
