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
  type InternalHeaderChecks,
  type SubgraphServer,
} from '@ies/subgraph-kit';
import type { Connection } from 'mongoose';
import { actionPlanModel, type ActionPlanDoc } from './action-plan/action-plan.model';
import { actionPlanResolvers } from './action-plan/action-plan.resolvers';
import { ActionPlanService } from './action-plan/action-plan.service';
import { PlanContentService } from './action-plan/plan-content.service';
import { clientModel, type ClientDoc } from './client/client.model';
import { clientResolvers } from './client/client.resolvers';
import { ClientService } from './client/client.service';
import { federationResolvers } from './common/federation.resolvers';
import { createLoaders, type ClientsContext, type ClientsServices } from './context';
import { ActionPlanExchange } from './exchange/action-plan-import';
import { DEFAULT_OUTCOME_CONFIG, type OutcomeConfig } from './outcome/outcome-config';
import { CheckpointService } from './outcome/checkpoint.service';
import { outcomeSlotModel } from './outcome/outcome-slot.model';
import type { ProviderDirectory } from './provider-directory/provider-directory';
import { summaryResolvers } from './summary/summary.resolvers';
import { SummaryService } from './summary/summary.service';

export const SUBGRAPH_NAME = 'clients';

const models = (connection: Connection) => [
  clientModel(connection),
  actionPlanModel(connection),
  outcomeSlotModel(connection),
  catchmentCopyModel(connection),
  changeRecordModel(connection),
  openBatchModel(connection),
];

/** Creates this service's collections and indexes; safe to run on every start. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  await ensureCollections(models(connection));
}

/** The read-model sync from the catchments subgraph (at start, by the worker's job and on demand). */
export const createCatchmentPeriodSync = createCatchmentSync;

/** The service's change log: one `change_log` collection, one subject type per projection. */
export function changeLogs(connection: Connection) {
  const records = changeRecordModel(connection);
  return {
    clients: new ChangeLog<ClientDoc>({
      records,
      projections: clientModel(connection),
      subjectType: 'Client',
    }),
    plans: new ChangeLog<ActionPlanDoc>({
      records,
      projections: actionPlanModel(connection),
      subjectType: 'EmploymentActionPlan',
    }),
  };
}

export interface ClientsDependencies {
  connection: Connection;
  logger: Logger;
  catchmentSync: CatchmentSync;
  directory: ProviderDirectory;
  /** Whether a program id exists (the contracts service owns programs). */
  programExists: (programId: string) => Promise<boolean>;
  outcomeConfig?: OutcomeConfig;
}

export function createServices(deps: ClientsDependencies): ClientsServices {
  const { connection } = deps;
  const logs = changeLogs(connection);
  const readModel = new CatchmentReadModel(catchmentCopyModel(connection));
  const catchmentPeriods = new CatchmentPeriodService(
    readModel,
    deps.catchmentSync,
    deps.logger,
    SUBGRAPH_NAME,
  );
  const clients = new ClientService(clientModel(connection), logs.clients, deps.directory);
  const plans = new ActionPlanService(
    actionPlanModel(connection),
    logs.plans,
    clients,
    deps.directory,
    catchmentPeriods,
  );
  const outcomeConfig = deps.outcomeConfig ?? DEFAULT_OUTCOME_CONFIG;
  return {
    clients,
    plans,
    planContent: new PlanContentService(plans, deps.directory, deps.programExists),
    checkpoints: new CheckpointService(plans, clients, outcomeSlotModel(connection), outcomeConfig),
    summaries: new SummaryService(actionPlanModel(connection)),
    catchmentPeriods,
    exchange: new ActionPlanExchange({
      connection,
      logs,
      directory: deps.directory,
      periods: catchmentPeriods,
      outcomeConfig,
    }),
    knownCatchments: async () =>
      (await catchmentCopyModel(connection).distinct('catchmentId')).map(String).sort(),
  };
}

export async function createClientsServer(
  deps: ClientsDependencies & { internalSecret: string; internalHeader?: InternalHeaderChecks },
): Promise<SubgraphServer> {
  const services = createServices(deps);
  return createSubgraphServer<ClientsContext>({
    name: SUBGRAPH_NAME,
    typeDefs: loadTypeDefs(__dirname),
    resolvers: [clientResolvers, actionPlanResolvers, summaryResolvers, federationResolvers],
    logger: deps.logger,
    internalSecret: deps.internalSecret,
    internalHeader: deps.internalHeader,
    readiness: async () => {
      await deps.connection.db!.admin().command({ ping: 1 });
    },
    buildContext: (base) => ({ ...base, services, loaders: createLoaders(services, base.principal) }),
  });
}
