import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { loadGatewayConfig } from '@ies/gateway/src/config';
import { createGatewayServer, type GatewayServer } from '@ies/gateway/src/server';
import { loadTypeDefs } from '@ies/subgraph-kit';
import { connectTestDatabase, graphqlRequest, testAuth, type TestAuth } from '@ies/testkit';
import type { Connection } from 'mongoose';
import { seedContracts } from '../../contracts/src/seed/seed-contracts';
import {
  createCatchmentPeriodSync as contractsCatchmentSync,
  createContractsServer,
  ensureIndexes as contractsIndexes,
} from '../../contracts/src/server';
import { startDisputes, type DisputesHarness } from './disputes-harness';

/**
 * Through a real Apollo Gateway over the catchments, contracts and disputes subgraphs (in-process, on
 * ports the OS chose, a supergraph composed from their SDL): the fields this subgraph adds to other
 * subgraphs' entities, and theirs on disputes, resolve together, scoped by the caller's token.
 */
describe('Disputes through the gateway', () => {
  let h: DisputesHarness;
  let auth: TestAuth;
  let contractsDb: Connection;
  let contracts: Awaited<ReturnType<typeof createContractsServer>>;
  let gateway: GatewayServer;
  let url: string;

  beforeAll(async () => {
    h = await startDisputes('disputes_e2e');
    contractsDb = await connectTestDatabase('disputes_e2e_contracts');
    await contractsIndexes(contractsDb);
    await seedContracts(contractsDb);
    const sync = contractsCatchmentSync({
      connection: contractsDb,
      logger: h.logger,
      internalSecret: h.secret,
      catchmentsUrl: h.catchments.url,
    });
    await sync.syncAll();
    contracts = await createContractsServer({
      connection: contractsDb,
      logger: h.logger,
      internalSecret: h.secret,
      catchmentSync: sync,
    });
    const contractsUrl = `http://127.0.0.1:${await contracts.listen(0)}/graphql`;
    const root = join(__dirname, '..', '..', '..');
    const subgraphs = [
      { name: 'catchments', url: h.catchments.url, dir: 'services/catchments/src' },
      { name: 'contracts', url: contractsUrl, dir: 'services/contracts/src' },
      { name: 'disputes', url: h.url, dir: 'services/disputes/src' },
    ];
    const composed = composeServices(
      subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: loadTypeDefs(join(root, s.dir)) })),
    );
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    const supergraph = join(mkdtempSync(join(tmpdir(), 'ies-disputes-e2e-')), 'supergraph.graphql');
    writeFileSync(supergraph, composed.supergraphSdl);
    auth = await testAuth();
    const config = loadGatewayConfig({
      SUPERGRAPH_PATH: supergraph,
      CATCHMENTS_URL: h.catchments.url,
      CONTRACTS_URL: contractsUrl,
      DISPUTES_URL: h.url,
      JWT_PUBLIC_KEY: auth.keys.publicKeyPem,
      JWT_ISSUER: auth.settings.issuer,
      JWT_AUDIENCE: auth.settings.audience,
      INTERNAL_SIGNING_SECRET: h.secret,
      SUBGRAPH_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'silent',
    });
    gateway = await createGatewayServer(config, h.logger);
    url = `http://127.0.0.1:${await gateway.listen(0)}/graphql`;
  });
  afterAll(async () => {
    await gateway?.close();
    await contracts?.close();
    await contractsDb?.close();
    await h.stop();
  });

  const ask = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const { status, body } = await graphqlRequest(url, query, { variables, token });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return body.data!;
  };

  it('shows anyone a catchment with its published dispute process and its small counts withheld', async () => {
    const data =
      await ask(`{ catchmentArea(id: "london") { name serviceSystemManager { organizationName disputeSlaPolicy { inForce { acknowledgeWithinBusinessDays } } }
      disputeProcess { howToFile languages responseTimes { acknowledgeWithinBusinessDays resolveWithinBusinessDays } escalationContacts { level email } }
      disputeSummary { opened { value suppressed reason } } } }`);
    expect(data.catchmentArea).toMatchObject({
      name: 'London',
      serviceSystemManager: {
        organizationName: 'City of London',
        disputeSlaPolicy: { inForce: { acknowledgeWithinBusinessDays: 5 } },
      },
      disputeProcess: {
        languages: ['English', 'Français'],
        responseTimes: { acknowledgeWithinBusinessDays: 5, resolveWithinBusinessDays: 25 },
        escalationContacts: [
          { level: 'SSM', email: 'disputes@city-of-london.example.ca' },
          { level: 'MINISTRY', email: 'es-disputes@ontario.example.ca' },
        ],
      },
      disputeSummary: { opened: { value: null, suppressed: true } },
    });
  });

  it('lets a provider open a dispute and read it with its provider, catchment and SSM from the other subgraphs', async () => {
    const token = await auth.token('PROVIDER', { subject: 'staff-1', providerIds: ['sp-durham-1'] });
    const opened = await ask(
      `mutation($input: OpenDisputeInput!) { openDispute(input: $input) { ok error { code message } dispute { id reference } } }`,
      {
        input: {
          kind: 'CLIENT',
          catchmentId: 'durham',
          clientId: 'client-e2e',
          providerId: 'sp-durham-1',
          category: 'LANGUAGE_SERVICES',
          description: 'No interpreter at the assessment',
          reference: 'D-E2E-1',
          on: '2025-05-05',
        },
      },
      token,
    );
    expect(opened.openDispute).toMatchObject({ ok: true, error: null, dispute: { reference: 'D-E2E-1' } });
    const { dispute } = await ask(
      `query($id: ID!) { dispute(id: $id) { reference escalationLevel provider { organizationName } catchment { name period }
        serviceSystemManager { organizationName } category { label } sla { acknowledgeBy } } }`,
      { id: opened.openDispute.dispute.id },
      token,
    );
    expect(dispute).toMatchObject({
      reference: 'D-E2E-1',
      escalationLevel: 'PROVIDER',
      provider: { organizationName: expect.stringContaining('(synthetic)') },
      catchment: { name: 'Durham', period: 'IES_DELIVERY' },
      serviceSystemManager: { organizationName: 'Region of Durham' },
      category: { label: 'Language services' },
      sla: { acknowledgeBy: '2025-05-12' },
    });

    const ssm = await auth.token('SSM', { subject: 'ssm-durham', catchmentIds: ['durham'] });
    const network = await ask(
      `{ serviceProvider(id: "sp-durham-1") { organizationName disputes { totalCount edges { node { reference status } } } } }`,
      {},
      ssm,
    );
    expect(network.serviceProvider.disputes).toEqual({
      totalCount: 1,
      edges: [{ node: { reference: 'D-E2E-1', status: 'OPENED' } }],
    });

    const other = await auth.token('PROVIDER', { subject: 'staff-2', providerIds: ['sp-durham-2'] });
    const hidden = await ask(
      `query($id: ID!) { dispute(id: $id) { reference } }`,
      { id: opened.openDispute.dispute.id },
      other,
    );
    expect(hidden.dispute).toBeNull();
    const anonymous = await ask(
      `{ serviceProvider(id: "sp-durham-1") { organizationName disputes { totalCount } } }`,
    );
    expect(anonymous.serviceProvider.disputes.totalCount).toBe(0);
  });
});
