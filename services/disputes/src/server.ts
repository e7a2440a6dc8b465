import {
  CatchmentPeriodService,
  CatchmentReadModel,
  CatchmentSync,
  catchmentCopyModel,
  createCatchmentSync,
} from '@ies/catchment-read-model';
import { ChangeLog, changeRecordModel, openBatchModel } from '@ies/change-log';
import { ensureCollections } from '@ies/db';
import type { Logger } from '@ies/logger';
import {
  createSubgraphServer,
  loadTypeDefs,
  type SubgraphServer,
  type InternalHeaderChecks,
} from '@ies/subgraph-kit';
import type { Connection } from 'mongoose';
import { disputeCategoryModel, type DisputeCategoryDoc } from './category/dispute-category.model';
import { disputeCategoryResolvers } from './category/dispute-category.resolvers';
import { DisputeCategoryService } from './category/dispute-category.service';
import { federationResolvers } from './common/federation.resolvers';
import type { PeriodsSource } from './common/periods-source';
import { createLoaders, type DisputesContext, type DisputesServices } from './context';
import { disputeModel, type DisputeDoc } from './dispute/dispute.model';
import { disputeResolvers } from './dispute/dispute.resolvers';
import { DisputeService } from './dispute/dispute.service';
import { disputeProcessModel, type DisputeProcessDoc } from './process/dispute-process.model';
import { disputeProcessResolvers } from './process/dispute-process.resolvers';
import { DisputeProcessService } from './process/dispute-process.service';
import { slaPolicyModel, type SlaPolicyDoc } from './sla-policy/sla-policy.model';
import { slaPolicyResolvers } from './sla-policy/sla-policy.resolvers';
import { SlaPolicyService } from './sla-policy/sla-policy.service';
import { disputeSummaryResolvers } from './summary/dispute-summary.resolvers';
import { DisputeSummaryService } from './summary/dispute-summary.service';

export const SUBGRAPH_NAME = 'disputes';

const models = (connection: Connection) => [
  disputeModel(connection),
  disputeCategoryModel(connection),
  slaPolicyModel(connection),
  disputeProcessModel(connection),
  catchmentCopyModel(connection),
  changeRecordModel(connection),
  openBatchModel(connection),
];

/** The read-model sync from the catchments subgraph (at start, by the worker's job and on demand). */
export const createCatchmentPeriodSync = createCatchmentSync;

/** The service's change logs: one `change_log` collection, one subject type per projection. */
export function changeLogs(connection: Connection) {
  const records = changeRecordModel(connection);
  return {
    disputes: new ChangeLog<DisputeDoc>({
      records,
      projections: disputeModel(connection),
      subjectType: 'Dispute',
    }),
    categories: new ChangeLog<DisputeCategoryDoc>({
      records,
      projections: disputeCategoryModel(connection),
      subjectType: 'DisputeCategory',
    }),
    policies: new ChangeLog<SlaPolicyDoc>({
      records,
      projections: slaPolicyModel(connection),
      subjectType: 'DisputeSlaPolicy',
    }),
    processes: new ChangeLog<DisputeProcessDoc>({
      records,
      projections: disputeProcessModel(connection),
      subjectType: 'DisputeProcess',
    }),
  };
}

/** The service's own catchment copy, with an on-demand sync for catchments not copied yet. */
export function catchmentPeriods(connection: Connection, sync: CatchmentSync, logger: Logger): PeriodsSource {
  return new CatchmentPeriodService(
    new CatchmentReadModel(catchmentCopyModel(connection)),
    sync,
    logger,
    SUBGRAPH_NAME,
  );
}

export function createServices(connection: Connection, periods: PeriodsSource): DisputesServices {
  const logs = changeLogs(connection);
  const categories = new DisputeCategoryService(disputeCategoryModel(connection), logs.categories);
  const policies = new SlaPolicyService(slaPolicyModel(connection), logs.policies, periods);
  return {
    categories,
    policies,
    periods,
    disputes: new DisputeService({
      disputes: disputeModel(connection),
      log: logs.disputes,
      categories,
      policies,
      periods,
    }),
    processes: new DisputeProcessService(disputeProcessModel(connection), logs.processes, periods),
    summaries: new DisputeSummaryService({
      disputes: disputeModel(connection),
      log: logs.disputes,
      categories,
      copies: catchmentCopyModel(connection),
    }),
  };
}

/** Creates this service's collections and indexes; safe to run on every start. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  await ensureCollections(models(connection));
}

export async function createDisputesServer(deps: {
  connection: Connection;
  logger: Logger;
  internalSecret: string;
  internalHeader?: InternalHeaderChecks;
  catchmentSync: CatchmentSync;
}): Promise<SubgraphServer> {
  const services = createServices(
    deps.connection,
    catchmentPeriods(deps.connection, deps.catchmentSync, deps.logger),
  );
  return createSubgraphServer<DisputesContext>({
    name: SUBGRAPH_NAME,
    // Read when a server is built, not on import: seed and index scripts import this module too.
    typeDefs: loadTypeDefs(__dirname),
    resolvers: [
      disputeResolvers,
      disputeCategoryResolvers,
      slaPolicyResolvers,
      disputeProcessResolvers,
      disputeSummaryResolvers,
      federationResolvers,
    ],
    logger: deps.logger,
    internalSecret: deps.internalSecret,
    internalHeader: deps.internalHeader,
    readiness: async () => {
      await deps.connection.db!.admin().command({ ping: 1 });
    },
    buildContext: (base) => ({ ...base, services, loaders: createLoaders(services, base.principal) }),
  });
}
