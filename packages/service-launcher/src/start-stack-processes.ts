import {
  GATEWAY,
  REDIS_VARIABLES,
  SERVICES,
  type ProcessEntry,
  type ServiceEntry,
} from '@ies/service-registry';
import { prepareServiceDatabase } from './prepare-database';
import { serviceEnv } from './service-env';
import type { SeedResult } from './service-hooks';
import {
  startServerProcess,
  startWorkerProcess,
  type ServerProcess,
  type ServiceProcess,
} from './service-process';

export interface StackProcessOptions {
  mongoUri: string;
  redisUrl: string;
  queuePrefix: string;
  internalSecret: string;
  /** Database of each service (e.g. its default, or a unique name per test file). */
  databaseName(service: ServiceEntry): string;
  /** Port of each process, as a string for `PORT`; `'0'` (any free port) when not given. */
  port?(process: ProcessEntry): string;
  /** Added to every process's environment (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
  /** Added to the gateway's environment (JWT settings…). */
  gatewayEnv?: Record<string, string>;
  /** Start each service's worker process too (default true). */
  workers?: boolean;
  forwardOutput?: boolean;
  onSeeded?(service: ServiceEntry, result: SeedResult): void;
  /** Called with each process as soon as it runs, so a caller can stop it even if a later one fails. */
  onStarted?(process: ServiceProcess): void;
}

export interface StackProcesses {
  /** API process of each registered service, by name. */
  services: Record<string, ServerProcess>;
  /** Worker process of each service that has one, by name. */
  workers: Record<string, ServiceProcess>;
  gateway: ServerProcess;
  /** The environment each service's processes were given, by name. */
  envOf: Record<string, Record<string, string>>;
  /** Every process in start order. */
  all: ServiceProcess[];
  /** Stops every process in reverse start order. */
  stop(): Promise<void>;
}

/**
 * Seeds and starts every registered service in registry order (API, then its worker), then the gateway
 * with each subgraph's URL. What each process needs comes from the registry entry.
 */
export async function startStackProcesses(options: StackProcessOptions): Promise<StackProcesses> {
  const all: ServiceProcess[] = [];
  const started = <P extends ServiceProcess>(process: P): P => {
    all.push(process);
    options.onStarted?.(process);
    return process;
  };
  const portOf = options.port ?? (() => '0');
  const common = {
    INTERNAL_SIGNING_SECRET: options.internalSecret,
    ...options.env,
  };
  const services: Record<string, ServerProcess> = {};
  const workers: Record<string, ServiceProcess> = {};
  const envOf: Record<string, Record<string, string>> = {};
  const subgraphUrls: Record<string, string> = {};
  // The last started first (the gateway, when it runs: no new request reaches a stopping subgraph),
  // then every other service and worker at once.
  const stop = async () => {
    const [latest, ...others] = [...all].reverse();
    await latest?.stop();
    await Promise.all(others.map((process) => process.stop()));
  };
  try {
    for (const service of SERVICES) {
      const dbName = options.databaseName(service);
      const seeded = await prepareServiceDatabase(service, options.mongoUri, dbName);
      options.onSeeded?.(service, seeded);
      const env = {
        ...common,
        ...serviceEnv(service, {
          mongoUri: options.mongoUri,
          dbName,
          redisUrl: options.redisUrl,
          queuePrefix: options.queuePrefix,
          subgraphUrls,
        }),
      };
      envOf[service.name] = env;
      const { forwardOutput } = options;
      services[service.name] = started(
        await startServerProcess({
          name: service.name,
          entry: service.api.entry,
          env: { ...env, PORT: portOf(service.api) },
          forwardOutput,
        }),
      );
      subgraphUrls[service.name] = `${services[service.name]!.url}/graphql`;
      if (service.worker && options.workers !== false) {
        workers[service.name] = started(
          await startWorkerProcess({
            name: `${service.name}-worker`,
            entry: service.worker.entry,
            env,
            forwardOutput,
          }),
        );
      }
    }
    const gateway = started(
      await startServerProcess({
        name: 'gateway',
        entry: GATEWAY.entry,
        env: {
          ...common,
          ...Object.fromEntries(SERVICES.map((s) => [s.gatewayUrlVariable, subgraphUrls[s.name]!])),
          // The queue board (`/ops/queues`) reads the platform's queues.
          [REDIS_VARIABLES.url]: options.redisUrl,
          [REDIS_VARIABLES.queuePrefix]: options.queuePrefix,
          ...options.gatewayEnv,
          PORT: portOf(GATEWAY),
        },
        forwardOutput: options.forwardOutput,
      }),
    );
    return { services, workers, gateway, envOf, all, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
