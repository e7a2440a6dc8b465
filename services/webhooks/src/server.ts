import { ChangeLog, changeRecordModel, openBatchModel } from '@ies/change-log';
import { ensureCollections } from '@ies/db';
import type { Jobs } from '@ies/jobs';
import type { Logger } from '@ies/logger';
import {
  createSubgraphServer,
  loadTypeDefs,
  type InternalHeaderChecks,
  type SubgraphServer,
} from '@ies/subgraph-kit';
import type { Connection } from 'mongoose';
import type { WebhooksContext, WebhooksServices } from './context';
import { DeliveryScheduler } from './delivery/delivery-queue';
import { webhookDeliveryModel } from './delivery/webhook-delivery.model';
import { webhookDeliveryResolvers } from './delivery/webhook-delivery.resolvers';
import { WebhookDeliveryService, type ReplayLimits } from './delivery/webhook-delivery.service';
import { SecretBox } from './endpoint/signing-secret';
import { webhookEndpointModel, type WebhookEndpointDoc } from './endpoint/webhook-endpoint.model';
import { webhookEndpointResolvers } from './endpoint/webhook-endpoint.resolvers';
import { WebhookEndpointService } from './endpoint/webhook-endpoint.service';
import { storedEventModel } from './events/stored-event.model';
import type { OutboundPolicy, Resolver } from './outbound/outbound-policy';

export const SUBGRAPH_NAME = 'webhooks';

const models = (connection: Connection) => [
  webhookEndpointModel(connection),
  webhookDeliveryModel(connection),
  storedEventModel(connection),
  changeRecordModel(connection),
  openBatchModel(connection),
];

/** Creates this service's collections and indexes; safe to run on every start. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  await ensureCollections(models(connection));
}

export const endpointLog = (connection: Connection) =>
  new ChangeLog<WebhookEndpointDoc>({
    records: changeRecordModel(connection),
    projections: webhookEndpointModel(connection),
    subjectType: 'WebhookEndpoint',
  });

/** What the API and the worker share: the endpoint rules, the scheduler, the delivery log. */
export interface WebhooksDeps {
  connection: Connection;
  jobs: Jobs;
  /** `WEBHOOKS_SECRET_KEY`, or the internal signing secret. */
  secretKey: string;
  outbound: OutboundPolicy;
  schedule: readonly number[];
  /** DNS for outbound checks (tests may give their own); the system resolver by default. */
  resolve?: Resolver;
  /** How much one `replayWebhookEvents` call sends and examines (tests lower them). */
  replayLimits?: Partial<ReplayLimits>;
}

export function createServices(deps: WebhooksDeps) {
  const { connection } = deps;
  const log = endpointLog(connection);
  const endpoints = new WebhookEndpointService({
    endpoints: webhookEndpointModel(connection),
    log,
    secrets: new SecretBox(deps.secretKey),
    outbound: deps.outbound,
    resolve: deps.resolve,
  });
  const scheduler = new DeliveryScheduler({
    deliveries: webhookDeliveryModel(connection),
    jobs: deps.jobs,
    schedule: deps.schedule,
  });
  const deliveries = new WebhookDeliveryService({
    deliveries: webhookDeliveryModel(connection),
    events: storedEventModel(connection),
    endpoints,
    scheduler,
    limits: deps.replayLimits,
  });
  return { endpoints, deliveries, scheduler, log } satisfies WebhooksServices & Record<string, unknown>;
}

export async function createWebhooksServer(
  deps: WebhooksDeps & { logger: Logger; internalSecret: string; internalHeader?: InternalHeaderChecks },
): Promise<SubgraphServer> {
  const services = createServices(deps);
  return createSubgraphServer<WebhooksContext>({
    name: SUBGRAPH_NAME,
    typeDefs: loadTypeDefs(__dirname),
    resolvers: [webhookEndpointResolvers, webhookDeliveryResolvers],
    logger: deps.logger,
    internalSecret: deps.internalSecret,
    internalHeader: deps.internalHeader,
    readiness: async () => {
      await deps.connection.db!.admin().command({ ping: 1 });
    },
    buildContext: (base) => ({ ...base, services }),
  });
}
