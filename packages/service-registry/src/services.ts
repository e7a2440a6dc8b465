import type { ProcessEntry, ServiceEntry } from './service-entry';

/**
 * Every subgraph of the platform, in start order (a service comes after those whose URL it needs).
 * Adding a service is one entry here: composition, codegen, `npm start`, the gateway's configuration,
 * the end-to-end harness and the benchmark all read this list, and a test checks it against
 * docker-compose.yml and the README's configuration table.
 */
export const SERVICES: readonly ServiceEntry[] = [
  {
    name: 'catchments',
    api: { entry: 'services/catchments/src/main.ts', defaultPort: 4001, portVariable: 'CATCHMENTS_PORT' },
    worker: { entry: 'services/catchments/src/worker.ts' },
    database: { variable: 'CATCHMENTS_DB_NAME', defaultName: 'ies_catchments' },
    seed: { module: 'services/catchments/src/seed/seed-catchments.ts', export: 'seedCatchments' },
    indexes: { module: 'services/catchments/src/server.ts', export: 'ensureIndexes' },
    sdlDir: 'services/catchments/src',
    gatewayUrlVariable: 'CATCHMENTS_URL',
    // Redis for its worker's events relay.
    needs: { redis: true },
    codegen: {
      contextType: '../context#CatchmentsContext',
      mappers: {
        CatchmentArea: '../catchment-area/catchment-area.model#CatchmentAreaDoc',
        ServiceSystemManager:
          '../service-system-manager/service-system-manager.model#ServiceSystemManagerDoc',
      },
      scalars: { Date: 'string', DateTime: 'Date' },
    },
  },
  {
    name: 'contracts',
    api: { entry: 'services/contracts/src/main.ts', defaultPort: 4002, portVariable: 'CONTRACTS_PORT' },
    worker: { entry: 'services/contracts/src/worker.ts' },
    database: { variable: 'CONTRACTS_DB_NAME', defaultName: 'ies_contracts' },
    seed: { module: 'services/contracts/src/seed/seed-contracts.ts', export: 'seedContracts' },
    indexes: { module: 'services/contracts/src/server.ts', export: 'ensureIndexes' },
    sdlDir: 'services/contracts/src',
    gatewayUrlVariable: 'CONTRACTS_URL',
    needs: { subgraphUrls: { CATCHMENTS_SUBGRAPH_URL: 'catchments' }, redis: true },
    queues: ['contracts-catchment-period-sync'],
    codegen: {
      contextType: '../context#ContractsContext',
      mappers: {
        CatchmentArea: '../catchment/entity-reference#EntityReference',
        ServiceSystemManager: '../catchment/entity-reference#EntityReference',
        Contract: '../contract/contract.model#ContractDoc',
        ProviderAgreement: '../agreement/provider-agreement.model#ProviderAgreementDoc',
        ServiceProvider: '../service-provider/service-provider.model#ServiceProviderDoc',
        Site: '../service-provider/service-provider.model#SiteDoc',
        Program: '../program/program.model#ProgramDoc',
        Amendment: '../common/amendment#Amendment as AmendmentRecord',
        AmendedTerms: '../common/amendment#AmendedTerms as AmendedTermsRecord',
      },
      scalars: { Date: 'string', DateTime: 'Date', Cents: 'number' },
    },
  },
  {
    name: 'clients',
    api: { entry: 'services/clients/src/main.ts', defaultPort: 4003, portVariable: 'CLIENTS_PORT' },
    worker: { entry: 'services/clients/src/worker.ts' },
    database: { variable: 'CLIENTS_DB_NAME', defaultName: 'ies_clients' },
    seed: { module: 'services/clients/src/seed/seed-clients.ts', export: 'seedClients' },
    indexes: { module: 'services/clients/src/server.ts', export: 'ensureIndexes' },
    sdlDir: 'services/clients/src',
    gatewayUrlVariable: 'CLIENTS_URL',
    needs: {
      subgraphUrls: { CATCHMENTS_SUBGRAPH_URL: 'catchments', CONTRACTS_SUBGRAPH_URL: 'contracts' },
      redis: true,
    },
    queues: ['clients-catchment-period-sync'],
    codegen: {
      contextType: '../context#ClientsContext',
      mappers: {
        CatchmentArea: '../common/entity-reference#EntityReference',
        ServiceProvider: '../common/entity-reference#EntityReference',
        Program: '../common/entity-reference#EntityReference',
        Client: '../client/client.model#ClientRef',
        EmploymentActionPlan: '../action-plan/action-plan.model#ActionPlanDoc',
        CommonAssessment: '../action-plan/action-plan.model#AssessmentDoc',
        PlanItem: '../action-plan/action-plan.model#PlanItemDoc',
        ReferralOut: '../action-plan/action-plan.model#ReferralOutDoc',
        ActiveOffer: '../action-plan/action-plan.model#ActiveOfferDoc',
        ActionPlanSummary: '../summary/action-plan-summary#ActionPlanSummary as ActionPlanSummaryResult',
      },
      scalars: { Date: 'string', DateTime: 'Date' },
    },
  },
  {
    name: 'disputes',
    api: { entry: 'services/disputes/src/main.ts', defaultPort: 4004, portVariable: 'DISPUTES_PORT' },
    worker: { entry: 'services/disputes/src/worker.ts' },
    database: { variable: 'DISPUTES_DB_NAME', defaultName: 'ies_disputes' },
    seed: { module: 'services/disputes/src/seed/seed-disputes.ts', export: 'seedDisputes' },
    indexes: { module: 'services/disputes/src/server.ts', export: 'ensureIndexes' },
    sdlDir: 'services/disputes/src',
    gatewayUrlVariable: 'DISPUTES_URL',
    needs: { subgraphUrls: { CATCHMENTS_SUBGRAPH_URL: 'catchments' }, redis: true },
    queues: ['disputes-catchment-period-sync', 'disputes-sla-sweep'],
    codegen: {
      contextType: '../context#DisputesContext',
      mappers: {
        CatchmentArea: '../common/entity-reference#EntityReference',
        ServiceProvider: '../common/entity-reference#EntityReference',
        ServiceSystemManager: '../common/entity-reference#EntityReference',
        Client: '../common/entity-reference#EntityReference',
        Dispute: '../dispute/dispute.model#DisputeDoc',
        DisputeSla: '../dispute/dispute.model#DisputeDoc as DisputeSlaParent',
        DisputeStatusChange: '../dispute/dispute-lifecycle#DisputeTransition',
        DisputeSlaBreach: '../dispute/dispute.model#SlaBreachDoc',
        DisputeCategory: '../category/dispute-category.model#DisputeCategoryDoc',
        DisputeSlaPolicy: '../sla-policy/sla-policy.model#SlaPolicyDoc',
        DisputeSlaPolicyVersion: '../sla-policy/sla-policy.service#SlaPolicyVersionView',
        DisputeProcess: '../process/dispute-process.model#DisputeProcessDoc',
        DisputeProcessRevision:
          '../process/dispute-process.service#DisputeProcessRevision as DisputeProcessRevisionRecord',
        DisputeSummary: '../summary/dispute-summary#DisputeSummary as DisputeSummaryRecord',
        DisputeCategoryCount: '../summary/dispute-summary#CategoryCount',
      },
      scalars: { Date: 'string', DateTime: 'Date' },
    },
  },
  {
    name: 'webhooks',
    api: { entry: 'services/webhooks/src/main.ts', defaultPort: 4005, portVariable: 'WEBHOOKS_PORT' },
    worker: { entry: 'services/webhooks/src/worker.ts' },
    database: { variable: 'WEBHOOKS_DB_NAME', defaultName: 'ies_webhooks' },
    seed: { module: 'services/webhooks/src/seed/seed-webhooks.ts', export: 'seedWebhooks' },
    indexes: { module: 'services/webhooks/src/server.ts', export: 'ensureIndexes' },
    sdlDir: 'services/webhooks/src',
    gatewayUrlVariable: 'WEBHOOKS_URL',
    needs: { redis: true },
    queues: ['webhooks-delivery'],
    // Development and test stacks deliver to http:// receivers on this machine; production keeps
    // the safe defaults (https to public addresses only).
    devEnv: { WEBHOOKS_ALLOW_INSECURE: 'true', WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' },
    codegen: {
      contextType: '../context#WebhooksContext',
      mappers: {
        WebhookEndpoint: '../endpoint/webhook-endpoint.model#WebhookEndpointDoc',
        WebhookEndpointSecretPayload: '../endpoint/webhook-endpoint.service#EndpointWithSecret',
        WebhookDelivery: '../delivery/webhook-delivery.model#WebhookDeliveryDoc',
        WebhookDeliveryAttempt: '../delivery/webhook-delivery.model#DeliveryAttempt',
      },
      scalars: { Date: 'string', DateTime: 'Date' },
    },
  },
];

/** The gateway process, started after every subgraph with each one's URL. */
export const GATEWAY: ProcessEntry = {
  entry: 'gateway/src/main.ts',
  defaultPort: 4000,
  portVariable: 'GATEWAY_PORT',
};

/** Every BullMQ queue of the platform (the gateway's Bull Board shows these). */
export const PLATFORM_QUEUES: readonly string[] = SERVICES.flatMap((s) => s.queues ?? []);

export function serviceNamed(name: string): ServiceEntry {
  const service = SERVICES.find((s) => s.name === name);
  if (!service) throw new Error(`no registered service is named ${name}`);
  return service;
}
