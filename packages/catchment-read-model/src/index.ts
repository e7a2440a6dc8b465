export {
  catchmentCopyModel,
  copyId,
  type CatchmentCopyDoc,
  type CatchmentCopyModel,
} from './catchment-copy.model';
export { newestPeriods, type CatchmentPeriods } from './catchment-periods';
export { CatchmentReadModel } from './catchment-read-model';
export { CatchmentSync, ON_DEMAND_MIN_INTERVAL_MS, type SyncResult } from './catchment-sync';
