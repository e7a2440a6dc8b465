export {
  catchmentCopyModel,
  copyId,
  type CatchmentCopyDoc,
  type CatchmentCopyModel,
} from './catchment-copy.model';
export { newestPeriods, type CatchmentPeriods } from './catchment-periods';
export { CatchmentReadModel } from './catchment-read-model';
export {
  CatchmentSync,
  ON_DEMAND_MIN_INTERVAL_MS,
  createCatchmentSync,
  type SyncResult,
} from './catchment-sync';
export { CatchmentPeriodService } from './catchment-period-service';
export {
  CATCHMENT_SYNC_SCHEDULER,
  catchmentSyncQueue,
  catchmentSyncSchedulers,
  startCatchmentSyncJob,
  type CatchmentSyncJob,
} from './catchment-sync-job';
