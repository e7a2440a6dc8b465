import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { loadGatewayConfig } from '@ies/gateway/src/config';
import { createGatewayServer } from '@ies/gateway/src/server';
import { loadTypeDefs } from '@ies/subgraph-kit';
import { connectTestDatabase, testAuth, testEngines, uniqueName, type GraphQLResponse } from '@ies/testkit';
import { seedContracts } from '../../contracts/src/seed/seed-contracts';
import {
  createCatchmentPeriodSync as contractsCatchmentSync,
  createContractsServer,
  ensureIndexes as contractsIndexes,
} from '../../contracts/src/server';
import type { DisputesHarness } from './disputes-harness';

/**
 * A real Apollo Gateway in-process over the harness's catchments and disputes subgraphs and a seeded
 * contracts subgraph (ports the OS chose), with a supergraph composed from their SDL and a JWT key pair
 * of the test file's own.
 */
export async function startGateway(h: DisputesHarness, name: string) {
  const contractsDb = await connectTestDatabase(`${name}_contracts`);
  await contractsIndexes(contractsDb);
  await seedContracts(contractsDb);
  const sync = contractsCatchmentSync({
    connection: contractsDb,
    logger: h.logger,
    internalSecret: h.secret,
    catchmentsUrl: h.catchments.url,
  });
  await sync.syncAll();
  const contracts = await createContractsServer({
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
  const auth = await testAuth();
  const gateway = await createGatewayServer(
    loadGatewayConfig({
      SUPERGRAPH_PATH: supergraph,
      CATCHMENTS_URL: h.catchments.url,
      CONTRACTS_URL: contractsUrl,
      DISPUTES_URL: h.url,
      JWT_PUBLIC_KEY: auth.keys.publicKeyPem,
      JWT_ISSUER: auth.settings.issuer,
      JWT_AUDIENCE: auth.settings.audience,
      INTERNAL_SIGNING_SECRET: h.secret,
      // Its subscriptions read an event stream of the test file's own.
      REDIS_URL: testEngines().redisUrl,
      QUEUE_PREFIX: uniqueName(name),
      SUBGRAPH_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'silent',
    }),
    h.logger,
  );
  const url = `http://127.0.0.1:${await gateway.listen(0)}/graphql`;
  return {
    url,
    auth,
    /** POSTs an operation (by name, when the document holds several) with an optional bearer token. */
    async request(
      query: string,
      options: { variables?: Record<string, unknown>; token?: string; operationName?: string } = {},
    ): Promise<Pick<GraphQLResponse<Record<string, any>>, 'status' | 'body'>> {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        body: JSON.stringify({
          query,
          variables: options.variables ?? {},
          operationName: options.operationName,
        }),
      });
      return {
        status: response.status,
        body: (await response.json()) as GraphQLResponse<Record<string, any>>['body'],
      };
    },
    async stop() {
      await gateway.close();
      await contracts.close();
      await contractsDb.close();
    },
  };
}
