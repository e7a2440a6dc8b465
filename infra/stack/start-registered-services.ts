import {
  startStackProcesses,
  stopProcesses,
  type ServerProcess,
  type ServiceProcess,
  type Supervisor,
} from '@ies/service-launcher';
import { REDIS_VARIABLES } from '@ies/service-registry';

/**
 * `npm start`'s part of the service registry: seeds and starts every registered service (and its
 * worker) on its default port, or the one its `*_PORT` variable names, then the gateway, each under a
 * supervisor (a process that dies is restarted on its port, with backoff). One stopper is added to
 * `stoppers` before the first process starts, so Ctrl-C, even during the start, stops the gateway
 * first and then every other process at once.
 */
export async function startRegisteredServices(options: {
  mongoUri: string;
  redisUrl: string;
  internalSecret: string;
  jwtPublicKeyFile: string;
  stoppers: (() => Promise<void>)[];
  say(line: string): void;
}): Promise<{
  services: ServiceProcess[];
  gateway: ServerProcess;
  supervisors: Record<string, Supervisor<ServiceProcess>>;
}> {
  const env = process.env;
  const started: ServiceProcess[] = [];
  options.stoppers.push(() => stopProcesses(started));
  const stack = await startStackProcesses({
    mongoUri: options.mongoUri,
    redisUrl: options.redisUrl,
    queuePrefix: env[REDIS_VARIABLES.queuePrefix] ?? 'ies',
    internalSecret: options.internalSecret,
    databaseName: (service) => env[service.database.variable] ?? service.database.defaultName,
    port: (entry) => env[entry.portVariable] ?? String(entry.defaultPort),
    env: { LOG_LEVEL: env.LOG_LEVEL ?? 'info' },
    gatewayEnv: { JWT_PUBLIC_KEY_FILE: options.jwtPublicKeyFile },
    forwardOutput: true,
    supervise: { log: options.say },
    onSeeded: (service, result) =>
      options.say(
        `seeded    ${service.name}: ${Object.entries(result)
          .map(([what, count]) => `${what} ${count}`)
          .join(', ')} (existing records untouched)`,
      ),
    onStarted: (process) => started.push(process),
  });
  return { services: stack.all, gateway: stack.gateway, supervisors: stack.supervisors };
}
