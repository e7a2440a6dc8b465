import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeJobsData } from '@ies/jobs';
import {
  startStackProcesses,
  type ServiceProcess,
  type Supervisor,
  type SupervisionOptions,
} from '@ies/service-launcher';
import { testAuth, testEngines, uniqueName, type RunningProcess, type TestAuth } from '@ies/testkit';

export interface Stack {
  auth: TestAuth;
  gateway: RunningProcess;
  catchments: RunningProcess;
  contracts: RunningProcess;
  contractsWorker: ServiceProcess;
  /** Every process in start order (the gateway last). */
  processes: ServiceProcess[];
  /** Each process's supervisor by name (`catchments`, `contracts-worker`…), when started with `supervise`. */
  supervisors: Record<string, Supervisor<ServiceProcess>>;
  /** The environment each service's processes were started with (its database, secret, URLs). */
  catchmentsEnv: Record<string, string>;
  clientsEnv: Record<string, string>;
  disputesEnv: Record<string, string>;
  graphqlUrl: string;
  stop(): Promise<void>;
}

/**
 * The real stack as separate processes, started from the service registry: every subgraph (seeded
 * databases of their own), its worker, and the gateway, each on a port the OS chose, talking over HTTP
 * with a secret of the test file's own.
 */
export async function startStack(
  name: string,
  options: {
    gatewayEnv?: Record<string, string>;
    /** Added to every process's environment. */
    env?: Record<string, string>;
    /** Restart processes that die, as `npm start` does. */
    supervise?: SupervisionOptions;
  } = {},
): Promise<Stack> {
  const { mongoUri, redisUrl } = testEngines();
  const auth = await testAuth();
  const publicKeyFile = join(tmpdir(), `${uniqueName('jwt')}.pem`);
  writeFileSync(publicKeyFile, auth.keys.publicKeyPem);
  const queuePrefix = uniqueName(name);
  const stack = await startStackProcesses({
    mongoUri,
    redisUrl,
    queuePrefix,
    internalSecret: auth.internalSecret,
    databaseName: (service) => uniqueName(`${name}_${service.name}`),
    env: {
      LOG_LEVEL: 'info',
      // Generous for the same reason as the timeout below: a loaded machine must not expire headers.
      INTERNAL_HEADER_TTL_MS: '30000',
      ...options.env,
    },
    supervise: options.supervise,
    gatewayEnv: {
      JWT_PUBLIC_KEY_FILE: publicKeyFile,
      JWT_ISSUER: auth.settings.issuer,
      JWT_AUDIENCE: auth.settings.audience,
      // Generous: two cores run several stacks and the embedded engine at once in `npm test`.
      SUBGRAPH_TIMEOUT_MS: '30000',
      // Health answers from the last poll: poll often, so a test sees a stopped subgraph soon.
      HEALTH_POLL_INTERVAL_MS: '500',
      ...options.gatewayEnv,
    },
  });
  return {
    auth,
    gateway: stack.gateway,
    catchments: stack.services.catchments!,
    contracts: stack.services.contracts!,
    contractsWorker: stack.workers.contracts!,
    processes: stack.all,
    supervisors: stack.supervisors,
    catchmentsEnv: stack.envOf.catchments!,
    clientsEnv: stack.envOf.clients!,
    disputesEnv: stack.envOf.disputes!,
    graphqlUrl: `${stack.gateway.url}/graphql`,
    async stop() {
      await stack.stop();
      await removeJobsData({ redisUrl, prefix: queuePrefix });
    },
  };
}
