import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase } from '@ies/db';
import {
  startProcess,
  testAuth,
  testEngines,
  uniqueName,
  type RunningProcess,
  type TestAuth,
} from '@ies/testkit';
import { seedCatchments } from '../../services/catchments/src/seed/seed-catchments';
import { ensureIndexes } from '../../services/catchments/src/server';
import { seedContracts } from '../../services/contracts/src/seed/seed-contracts';
import { ensureIndexes as ensureContractIndexes } from '../../services/contracts/src/server';

export interface Stack {
  auth: TestAuth;
  gateway: RunningProcess;
  catchments: RunningProcess;
  contracts: RunningProcess;
  catchmentsEnv: Record<string, string>;
  graphqlUrl: string;
  stop(): Promise<void>;
}

/**
 * The real stack as separate processes: the catchments and contracts subgraphs (seeded databases of
 * their own) and the gateway, each on a port the OS chose, talking over HTTP with a secret of the test file's own.
 */
export async function startStack(
  name: string,
  options: { gatewayEnv?: Record<string, string> } = {},
): Promise<Stack> {
  const { mongoUri, redisUrl } = testEngines();
  const auth = await testAuth();
  const catchmentsDb = uniqueName(`${name}_catchments`);
  const connection = await connectDatabase({ uri: mongoUri, dbName: catchmentsDb });
  await ensureIndexes(connection);
  await seedCatchments(connection);
  await connection.close();

  const catchmentsEnv = {
    MONGODB_URI: mongoUri,
    CATCHMENTS_DB_NAME: catchmentsDb,
    INTERNAL_SIGNING_SECRET: auth.internalSecret,
  };
  const catchments = await startProcess('services/catchments/src/main.ts', catchmentsEnv);
  const contractsDb = uniqueName(`${name}_contracts`);
  const contractsConnection = await connectDatabase({ uri: mongoUri, dbName: contractsDb });
  await ensureContractIndexes(contractsConnection);
  await seedContracts(contractsConnection);
  await contractsConnection.close();
  const contracts = await startProcess('services/contracts/src/main.ts', {
    MONGODB_URI: mongoUri,
    CONTRACTS_DB_NAME: contractsDb,
    INTERNAL_SIGNING_SECRET: auth.internalSecret,
    CATCHMENTS_SUBGRAPH_URL: `${catchments.url}/graphql`,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: uniqueName(name),
  });

  const publicKeyFile = join(tmpdir(), `${uniqueName('jwt')}.pem`);
  writeFileSync(publicKeyFile, auth.keys.publicKeyPem);
  const gateway = await startProcess('gateway/src/main.ts', {
    CATCHMENTS_URL: `${catchments.url}/graphql`,
    CONTRACTS_URL: `${contracts.url}/graphql`,
    JWT_PUBLIC_KEY_FILE: publicKeyFile,
    JWT_ISSUER: auth.settings.issuer,
    JWT_AUDIENCE: auth.settings.audience,
    INTERNAL_SIGNING_SECRET: auth.internalSecret,
    SUBGRAPH_TIMEOUT_MS: '5000',
    ...options.gatewayEnv,
  });
  return {
    auth,
    gateway,
    catchments,
    contracts,
    catchmentsEnv,
    graphqlUrl: `${gateway.url}/graphql`,
    async stop() {
      await gateway.stop();
      await contracts.stop();
      await catchments.stop();
    },
  };
}
