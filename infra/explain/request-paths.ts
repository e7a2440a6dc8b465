/**
 * The query shapes each request path sends, by service database and collection: what
 * `explain-queries.ts` asks an engine to plan. Keep it in step with the services' read paths (a
 * batched lookup is `findWhereIn`: `$in` on MongoDB, one equality per value on FerretDB).
 */
export interface RequestPath {
  /** The GraphQL field or step that sends the query. */
  path: string;
  /** Registry name of the service whose database holds the collection. */
  service: 'catchments' | 'contracts' | 'disputes';
  collection: string;
  /** Equality conditions; `batch` names the field a DataLoader batches over, with example values. */
  where?: Record<string, unknown>;
  batch?: { field: string; values: string[] };
  sort?: Record<string, 1 | -1>;
  limit?: number;
}

const page = { sort: { _id: 1 as const }, limit: 21 };

export const REQUEST_PATHS: RequestPath[] = [
  // catchments
  {
    path: 'catchmentArea(id), _entities CatchmentArea',
    service: 'catchments',
    collection: 'catchment_areas',
    batch: { field: '_id', values: ['peel', 'york'] },
  },
  {
    path: 'catchmentAreas(filter: { serviceSystemManagerId })',
    service: 'catchments',
    collection: 'catchment_areas',
    where: { ssmId: 'serco-canada' },
    ...page,
  },
  {
    path: 'ServiceSystemManager.catchments',
    service: 'catchments',
    collection: 'catchment_areas',
    batch: { field: 'ssmId', values: ['serco-canada', 'fedcap-canada'] },
    sort: { _id: 1 },
  },
  {
    path: 'serviceSystemManager(id), _entities ServiceSystemManager',
    service: 'catchments',
    collection: 'service_system_managers',
    batch: { field: '_id', values: ['serco-canada'] },
  },
  {
    path: 'CatchmentArea.changeHistory',
    service: 'catchments',
    collection: 'change_log',
    batch: { field: 'subject', values: ['CatchmentArea:peel', 'CatchmentArea:york'] },
    sort: { version: 1 },
  },
  {
    path: 'every read: unprojected changes',
    service: 'catchments',
    collection: 'change_log',
    where: { projected: false, subjectType: 'CatchmentArea' },
    sort: { version: 1 },
  },
  {
    path: "every change: the subject's log head",
    service: 'catchments',
    collection: 'change_log',
    where: { subject: 'CatchmentArea:peel' },
    sort: { version: -1 },
    limit: 1,
  },
  // contracts
  {
    path: 'contract(id), _entities Contract',
    service: 'contracts',
    collection: 'contracts',
    batch: { field: '_id', values: ['contract-peel'] },
  },
  {
    path: 'CatchmentArea.contract',
    service: 'contracts',
    collection: 'contracts',
    batch: { field: 'catchmentId', values: ['peel', 'york'] },
    sort: { _id: 1 },
  },
  {
    path: 'providerAgreement(id), _entities ProviderAgreement',
    service: 'contracts',
    collection: 'provider_agreements',
    batch: { field: '_id', values: ['agr-sp-durham-1-2025-04-01'] },
    sort: { _id: 1 },
  },
  {
    path: 'CatchmentArea.agreements',
    service: 'contracts',
    collection: 'provider_agreements',
    batch: { field: 'catchmentId', values: ['durham', 'peel'] },
    sort: { _id: 1 },
  },
  {
    path: 'ServiceProvider.agreements',
    service: 'contracts',
    collection: 'provider_agreements',
    batch: { field: 'providerId', values: ['sp-durham-1'] },
    sort: { _id: 1 },
  },
  {
    path: 'providerAgreements(filter: { catchmentId })',
    service: 'contracts',
    collection: 'provider_agreements',
    where: { catchmentId: 'durham' },
    ...page,
  },
  {
    path: 'createProviderAgreement: natural key taken?',
    service: 'contracts',
    collection: 'provider_agreements',
    where: {
      providerId: 'sp-durham-1',
      catchmentId: 'durham',
      kind: 'SSM_AGREEMENT',
      termStartDate: '2025-04-01',
    },
    limit: 1,
  },
  {
    path: 'ServiceProvider by id (agreement.provider)',
    service: 'contracts',
    collection: 'service_providers',
    batch: { field: '_id', values: ['sp-durham-1'] },
  },
  {
    path: 'CatchmentArea.providers',
    service: 'contracts',
    collection: 'service_providers',
    batch: { field: 'catchmentIds', values: ['durham'] },
    sort: { _id: 1 },
  },
  {
    path: 'Program by id (agreement.programs)',
    service: 'contracts',
    collection: 'programs',
    batch: { field: '_id', values: ['employment-service'] },
  },
  {
    path: "period gate: a catchment's periods",
    service: 'contracts',
    collection: 'catchment_copies',
    batch: { field: 'catchmentId', values: ['durham'] },
  },
  {
    path: 'ServiceSystemManager.contracts: catchments it manages',
    service: 'contracts',
    collection: 'catchment_copies',
    batch: { field: 'ssmId', values: ['serco-canada'] },
  },
  {
    path: 'ProviderAgreement.amendments',
    service: 'contracts',
    collection: 'change_log',
    batch: { field: 'subject', values: ['ProviderAgreement:agr-sp-durham-1-2025-04-01'] },
    sort: { version: 1 },
  },
  {
    path: 'every read: unprojected changes',
    service: 'contracts',
    collection: 'change_log',
    where: { projected: false, subjectType: 'ProviderAgreement' },
    sort: { version: 1 },
  },
  // disputes
  {
    path: 'dispute(id), _entities Dispute, Dispute.reopenedFrom, import by reference',
    service: 'disputes',
    collection: 'disputes',
    batch: { field: '_id', values: ['dsp-0123456789abcdef0123'] },
  },
  {
    path: 'disputes(filter: { catchmentId }), CatchmentArea.disputeSummary, disputeSummary',
    service: 'disputes',
    collection: 'disputes',
    where: { catchmentId: 'durham' },
    ...page,
  },
  {
    path: 'ServiceProvider.disputes, disputes(filter: { providerId })',
    service: 'disputes',
    collection: 'disputes',
    batch: { field: 'providerId', values: ['sp-durham-1', 'sp-durham-2'] },
    sort: { _id: 1 },
  },
  {
    path: 'Client.disputes, disputes(filter: { clientId })',
    service: 'disputes',
    collection: 'disputes',
    batch: { field: 'clientId', values: ['client-1'] },
    sort: { _id: 1 },
  },
  {
    path: 'SLA sweep: open disputes',
    service: 'disputes',
    collection: 'disputes',
    where: { open: true },
  },
  {
    path: 'CatchmentArea.disputeProcess, disputeProcess(catchmentId)',
    service: 'disputes',
    collection: 'dispute_processes',
    batch: { field: '_id', values: ['durham', 'london'] },
  },
  {
    path: 'DisputeProcess.revisions',
    service: 'disputes',
    collection: 'change_log',
    batch: { field: 'subject', values: ['DisputeProcess:durham'] },
    sort: { version: 1 },
  },
  {
    path: 'ServiceSystemManager.disputeSlaPolicy, a dispute opening',
    service: 'disputes',
    collection: 'dispute_sla_policies',
    batch: { field: '_id', values: ['region-of-durham'] },
  },
  {
    path: "a dispute opening: the catchment's periods and SSM",
    service: 'disputes',
    collection: 'catchment_copies',
    batch: { field: 'catchmentId', values: ['durham'] },
  },
  {
    path: 'every read: unprojected changes',
    service: 'disputes',
    collection: 'change_log',
    where: { projected: false, subjectType: 'Dispute' },
    sort: { version: 1 },
  },
];
