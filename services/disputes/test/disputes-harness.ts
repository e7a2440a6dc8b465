import type { Connection } from 'mongoose';
import type { Principal } from '@ies/auth';
import { catchmentCopyModel } from '@ies/catchment-read-model';
import { changeRecordModel } from '@ies/change-log';
import { CommandCounter, refreshCollectionSize } from '@ies/db';
import { createLogger } from '@ies/logger';
import { connectTestDatabase, principalOf, subgraphRequest } from '@ies/testkit';
import { startCatchments } from '../../catchments/test/catchments-harness';
import { disputeCategoryModel } from '../src/category/dispute-category.model';
import { disputeModel } from '../src/dispute/dispute.model';
import { disputeProcessModel } from '../src/process/dispute-process.model';
import { seedCatalogue } from '../src/seed/seed-disputes';
import {
  catchmentPeriods,
  changeLogs,
  createCatchmentPeriodSync,
  createDisputesServer,
  createServices,
  ensureIndexes,
} from '../src/server';
import { SlaSweep } from '../src/sla-sweep/sla-sweep';

export type Caller = ReturnType<DisputesHarness['as']>;

/**
 * The catchments subgraph and the disputes subgraph in-process on port 0, sharing one internal secret,
 * each with a fresh seeded FerretDB database of this test file's own; the disputes service's copy of
 * the catchments is synchronized from the live catchments subgraph.
 */
export async function startDisputes(name: string) {
  const catchments = await startCatchments(`${name}_catchments`);
  const connection: Connection = await connectTestDatabase(name, { monitorCommands: true });
  await ensureIndexes(connection);
  // The catalogue and the published processes; not the generated sample (tests count their own disputes).
  const seeded = await seedCatalogue(connection);
  const logger = createLogger('disputes', process.env.DISPUTES_TEST_LOG ?? 'silent');
  const catchmentSync = createCatchmentPeriodSync({
    connection,
    logger,
    internalSecret: catchments.secret,
    catchmentsUrl: catchments.url,
  });
  await catchmentSync.syncAll();
  const models = {
    disputes: disputeModel(connection),
    processes: disputeProcessModel(connection),
    categories: disputeCategoryModel(connection),
    copies: catchmentCopyModel(connection),
    changeLog: changeRecordModel(connection),
  };
  const server = await createDisputesServer({
    connection,
    logger,
    internalSecret: catchments.secret,
    catchmentSync,
  });
  const port = await server.listen(0);
  const url = `http://127.0.0.1:${port}/graphql`;
  const logs = changeLogs(connection);
  const as = (principal: Principal) => ({
    principal,
    query: <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) =>
      subgraphRequest<T>(url, query, {
        principal,
        secret: catchments.secret,
        variables,
        audience: 'disputes',
      }),
  });
  return {
    connection,
    url,
    secret: catchments.secret,
    seeded,
    catchments,
    catchmentSync,
    logger,
    models,
    logs,
    /** The services as the API builds them (for the exchange and direct calls). */
    services: createServices(connection, catchmentPeriods(connection, catchmentSync, logger)),
    commands: new CommandCounter(connection),
    /** The sizes the batched lookups decide with (ADR 0008); call before counting commands. */
    refreshSizes: () => Promise.all(Object.values(models).map(refreshCollectionSize)),
    sweep: () => new SlaSweep({ disputes: models.disputes, log: logs.disputes, logger }),
    as,
    ministry: as(principalOf('MINISTRY', { subject: 'ministry-officer' })),
    ssmOf: (...catchmentIds: string[]) =>
      as(principalOf('SSM', { subject: `ssm-${catchmentIds.join('-')}`, catchmentIds })),
    provider: (...providerIds: string[]) =>
      as(principalOf('PROVIDER', { subject: `staff-${providerIds[0]}`, providerIds })),
    partner: as(principalOf('PARTNER', { partnerId: 'partner-1' })),
    anonymous: as(principalOf('PUBLIC', { subject: 'anonymous' })),
    async stop() {
      await server.close();
      await connection.close();
      await catchments.stop();
    },
  };
}

export type DisputesHarness = Awaited<ReturnType<typeof startDisputes>>;

export const DISPUTE_FIELDS = `id reference kind status escalationLevel openedOn version description
  catchment { id } provider { id } client { id } serviceSystemManager { id } category { code }
  statusHistory { status escalationLevel on by reason } resolution { outcome summary on }
  sla { acknowledgeWithinBusinessDays resolveWithinBusinessDays acknowledgeBy resolveBy breaches { clock dueOn detectedOn handling escalatedTo } }
  reopenedFrom { id reference }`;

const PAYLOAD = `ok error { code message field } dispute { ${DISPUTE_FIELDS} }`;

/** The mutations of the dispute lifecycle, as a caller sends them. */
export const disputeApi = (who: Caller) => ({
  open: (input: Record<string, unknown>) =>
    who
      .query(`mutation($input: OpenDisputeInput!) { openDispute(input: $input) { ${PAYLOAD} } }`, { input })
      .then((r) => r.body.data?.openDispute ?? r.body),
  change: (mutation: string, inputType: string, input: Record<string, unknown>) =>
    who
      .query(`mutation($input: ${inputType}!) { ${mutation}(input: $input) { ${PAYLOAD} } }`, { input })
      .then((r) => r.body.data?.[mutation] ?? r.body),
  acknowledge: (input: Record<string, unknown>) =>
    disputeApi(who).change('acknowledgeDispute', 'DisputeChangeInput', input),
  escalate: (input: Record<string, unknown>) =>
    disputeApi(who).change('escalateDispute', 'DisputeChangeInput', input),
  withdraw: (input: Record<string, unknown>) =>
    disputeApi(who).change('withdrawDispute', 'DisputeChangeInput', input),
  resolve: (input: Record<string, unknown>) =>
    disputeApi(who).change('resolveDispute', 'ResolveDisputeInput', input),
  status: (input: Record<string, unknown>) =>
    disputeApi(who).change('changeDisputeStatus', 'ChangeDisputeStatusInput', input),
  reopen: (input: Record<string, unknown>) =>
    disputeApi(who).change('reopenDispute', 'ReopenDisputeInput', input),
  get: (id: string) =>
    who
      .query(`query($id: ID!) { dispute(id: $id) { ${DISPUTE_FIELDS} } }`, { id })
      .then((r) => r.body.data?.dispute ?? null),
});

/** A client dispute in Durham (IES delivery since 2024) heard first by its provider. */
export const clientDispute = (overrides: Record<string, unknown> = {}) => ({
  kind: 'CLIENT',
  catchmentId: 'durham',
  clientId: 'client-7f3a',
  providerId: 'sp-durham-1',
  category: 'SERVICE_QUALITY',
  description: 'Workshops were cancelled three times without notice',
  on: '2025-03-03',
  ...overrides,
});

/** A service-provider dispute in Durham, heard first by the SSM. */
export const providerDispute = (overrides: Record<string, unknown> = {}) => ({
  kind: 'SERVICE_PROVIDER',
  catchmentId: 'durham',
  providerId: 'sp-durham-2',
  category: 'FUNDING_AND_PAYMENTS',
  description: 'The Q3 performance payment was not made',
  on: '2025-03-03',
  ...overrides,
});
