import { startStackProcesses, type ServerProcess, type ServiceProcess } from '@ies/service-launcher';
import { REDIS_VARIABLES } from '@ies/service-registry';

/**
 * `npm start`'s part of the service registry: seeds and starts every registered service (and its
 * worker) on its default port, or the one its `*_PORT` variable names, then the gateway. Each process
 * is added to `stoppers` as soon as it runs, so Ctrl-C stops them in reverse order.
 */
export async function startRegisteredServices(options: {
  mongoUri: string;
  redisUrl: string;
  internalSecret: string;
  jwtPublicKeyFile: string;
  stoppers: (() => Promise<void>)[];
  say(line: string): void;
}): Promise<{ services: ServiceProcess[]; gateway: ServerProcess }> {
  const env = process.env;
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
    onSeeded: (service, result) =>
      options.say(
        `seeded    ${service.name}: ${Object.entries(result)
          .map(([what, count]) => `${what} ${count}`)
          .join(', ')} (existing records untouched)`,
      ),
    onStarted: (started) => options.stoppers.push(() => started.stop()),
  });
  return { services: stack.all, gateway: stack.gateway };
}
