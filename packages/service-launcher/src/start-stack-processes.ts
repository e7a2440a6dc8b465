import {
  GATEWAY,
  REDIS_VARIABLES,
  SERVICES,
  type ProcessEntry,
  type ServiceEntry,
} from '@ies/service-registry';
import { prepareServiceDatabase } from './prepare-database';
import { serviceEnv } from './service-env';
import type { RestartPolicy } from './restart-policy';
import type { SeedResult } from './service-hooks';
import {
  startServerProcess,
  startWorkerProcess,
  type ServerProcess,
  type ServiceProcess,
  type StartOptions,
} from './service-process';
import { Supervisor, supervisedHandle } from './supervisor';

/** Restart processes that die (`npm start`); see `Supervisor`. */
export interface SupervisionOptions {
  policy?: RestartPolicy;
  log?: (line: string) => void;
}

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
  /**
   * Restart a process that dies, on the same port with the same environment, with backoff (`npm
   * start`). Off by default: a test that stops a subgraph wants it to stay down.
   */
  supervise?: SupervisionOptions;
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
  /** Every process in start order (handles stay valid across restarts when supervised). */
  all: ServiceProcess[];
  /** The supervisor of each process, by process name (`catchments`, `catchments-worker`…), when supervised. */
  supervisors: Record<string, Supervisor<ServiceProcess>>;
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
  const supervisors: Record<string, Supervisor<ServiceProcess>> = {};
  const supervised = async <P extends ServiceProcess>(
    start: StartOptions,
    launch: (start: StartOptions) => Promise<P>,
    relaunch: (start: StartOptions, first: P) => Promise<P>,
  ): Promise<P> => {
    if (!options.supervise) return launch(start);
    let first: P | undefined;
    const supervisor = new Supervisor<P>({
      name: start.name,
      start: async () => (first ? relaunch(start, first) : (first = await launch(start))),
      ...options.supervise,
    });
    await supervisor.start();
    supervisors[start.name] = supervisor as unknown as Supervisor<ServiceProcess>;
    return supervisedHandle(supervisor);
  };
  const startServer = (start: StartOptions) =>
    supervised(start, startServerProcess, (again, first) =>
      // The port the first start bound: the gateway's and other services' URLs stay right.
      startServerProcess({ ...again, env: { ...again.env, PORT: String(first.port) } }),
    );
  const startWorker = (start: StartOptions) => supervised(start, startWorkerProcess, startWorkerProcess);
  const stop = () => stopProcesses(all);
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
        await startServer({
          name: service.name,
          entry: service.api.entry,
          env: { ...env, PORT: portOf(service.api) },
          forwardOutput,
        }),
      );
      subgraphUrls[service.name] = `${services[service.name]!.url}/graphql`;
      if (service.worker && options.workers !== false) {
        workers[service.name] = started(
          await startWorker({
            name: `${service.name}-worker`,
            entry: service.worker.entry,
            env,
            forwardOutput,
          }),
        );
      }
    }
    const gateway = started(
      await startServer({
        name: 'gateway',
        entry: GATEWAY.entry,
        env: {
          ...common,
          ...Object.fromEntries(SERVICES.map((s) => [s.gatewayUrlVariable, subgraphUrls[s.name]!])),
          // The gateway's queue board (`/ops/queues`) and its subscriptions (the event stream) read Redis.
          [REDIS_VARIABLES.url]: options.redisUrl,
          [REDIS_VARIABLES.queuePrefix]: options.queuePrefix,
          ...options.gatewayEnv,
          PORT: portOf(GATEWAY),
        },
        forwardOutput: options.forwardOutput,
      }),
    );
    return { services, workers, gateway, envOf, all, supervisors, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Stops processes started in `started` order: the last started first (the gateway, when it runs: no new
 * request reaches a stopping subgraph), then every other service and worker at once, each draining.
 */
export async function stopProcesses(started: readonly ServiceProcess[]): Promise<void> {
  const [latest, ...others] = [...started].reverse();
  await latest?.stop();
  await Promise.all(others.map((process) => process.stop()));
}
