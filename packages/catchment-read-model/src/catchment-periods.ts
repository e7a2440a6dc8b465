import type { CatchmentCopyDoc } from './catchment-copy.model';

/** What a service knows of a catchment: its period dates and SSM, at the newest copied version. */
export interface CatchmentPeriods {
  /** The catchment id. */
  _id: string;
  planningStartDate: string | null;
  transitionStartDate: string | null;
  iesDeliveryStartDate: string | null;
  ssmId: string | null;
  sourceVersion: number;
  syncedAt: Date;
}

/** The newest copy of each catchment among `copies`, as periods. */
export function newestPeriods(copies: readonly CatchmentCopyDoc[]): Map<string, CatchmentPeriods> {
  const newest = new Map<string, CatchmentCopyDoc>();
  for (const copy of copies) {
    if ((newest.get(copy.catchmentId)?.sourceVersion ?? -1) < copy.sourceVersion)
      newest.set(copy.catchmentId, copy);
  }
  return new Map(
    [...newest].map(([id, copy]) => [
      id,
      {
        _id: id,
        planningStartDate: copy.planningStartDate,
        transitionStartDate: copy.transitionStartDate,
        iesDeliveryStartDate: copy.iesDeliveryStartDate,
        ssmId: copy.ssmId,
        sourceVersion: copy.sourceVersion,
        syncedAt: copy.syncedAt,
      },
    ]),
  );
}
