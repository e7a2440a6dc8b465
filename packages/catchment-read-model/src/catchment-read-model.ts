import { findWhereIn } from '@ies/db';
import type { CatchmentCopyModel, CatchmentCopyDoc } from './catchment-copy.model';
import { newestPeriods, type CatchmentPeriods } from './catchment-periods';

/**
 * Reads a service's copy of the catchments' periods and SSMs (filled by `CatchmentSync`). Each
 * catchment keeps a few versioned rows; readers take the newest.
 */
export class CatchmentReadModel {
  constructor(private readonly copies: CatchmentCopyModel) {}

  /** The newest known periods of each catchment asked for; an unknown catchment is absent. */
  async periodsOf(catchmentIds: readonly string[]): Promise<Map<string, CatchmentPeriods>> {
    return newestPeriods(await findWhereIn<CatchmentCopyDoc>(this.copies, 'catchmentId', catchmentIds));
  }

  /** Whether any catchment was ever copied (the catchments service answered at least once). */
  async hasCopies(): Promise<boolean> {
    return (await this.copies.exists({})) !== null;
  }

  /** The ids of the catchments whose newest copy names each SSM as their manager now. */
  async catchmentsManagedBy(ssmIds: readonly string[]): Promise<Map<string, string[]>> {
    // Rows that ever named these SSMs, then the newest rows of those catchments decide.
    const named = await findWhereIn<CatchmentCopyDoc>(this.copies, 'ssmId', ssmIds);
    const current = await this.periodsOf([...new Set(named.map((row) => row.catchmentId))]);
    const managed = new Map<string, string[]>(ssmIds.map((id) => [id, []]));
    for (const periods of [...current.values()].sort((a, b) => a._id.localeCompare(b._id))) {
      if (periods.ssmId && managed.has(periods.ssmId)) managed.get(periods.ssmId)!.push(periods._id);
    }
    return managed;
  }
}
