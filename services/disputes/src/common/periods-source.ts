import type { CatchmentPeriods } from '@ies/catchment-read-model';
import { mutationError, type MutationError } from '@ies/subgraph-kit';

/**
 * What the disputes rules need to know of catchments: their period dates and SSM now. The service
 * reads its own copy (`CatchmentPeriodService` of @ies/catchment-read-model, filled from the
 * catchments subgraph); the seed, which runs before any service is up, uses the catchments seed.
 */
export interface PeriodsSource {
  periodsOf(catchmentId: string, field?: string): Promise<CatchmentPeriods | MutationError>;
  knownPeriodsOf(catchmentIds: readonly string[]): Promise<Map<string, CatchmentPeriods>>;
  catchmentsManagedBy(ssmIds: readonly string[]): Promise<Map<string, string[]>>;
}

/** A source over a fixed list of catchments (the seed's). */
export function listedPeriods(
  catchments: readonly Omit<CatchmentPeriods, 'sourceVersion' | 'syncedAt'>[],
): PeriodsSource {
  const byId = new Map<string, CatchmentPeriods>(
    catchments.map((c) => [c._id, { ...c, sourceVersion: 1, syncedAt: new Date(0) }]),
  );
  return {
    periodsOf: async (catchmentId, field = 'input.catchmentId') =>
      byId.get(catchmentId) ?? mutationError('NOT_FOUND', `No catchment ${catchmentId}`, field),
    knownPeriodsOf: async (ids) => new Map(ids.filter((id) => byId.has(id)).map((id) => [id, byId.get(id)!])),
    catchmentsManagedBy: async (ssmIds) =>
      new Map(
        ssmIds.map((ssmId) => [ssmId, [...byId.values()].filter((c) => c.ssmId === ssmId).map((c) => c._id)]),
      ),
  };
}
