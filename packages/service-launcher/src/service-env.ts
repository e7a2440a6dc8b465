import { REDIS_VARIABLES, type ServiceEntry } from '@ies/service-registry';

export interface EnvContext {
  mongoUri: string;
  dbName: string;
  redisUrl: string;
  queuePrefix: string;
  /** GraphQL URL of each subgraph started so far, by service name. */
  subgraphUrls: Record<string, string>;
}

/** The variables a registered service's processes need, from what the registry says it needs. */
export function serviceEnv(service: ServiceEntry, context: EnvContext): Record<string, string> {
  const env: Record<string, string> = {
    ...service.devEnv,
    MONGODB_URI: context.mongoUri,
    [service.database.variable]: context.dbName,
  };
  for (const [variable, dependency] of Object.entries(service.needs.subgraphUrls ?? {})) {
    const url = context.subgraphUrls[dependency];
    if (!url) throw new Error(`${service.name} needs ${dependency}, which must be registered before it`);
    env[variable] = url;
  }
  if (service.needs.redis) {
    env[REDIS_VARIABLES.url] = context.redisUrl;
    env[REDIS_VARIABLES.queuePrefix] = context.queuePrefix;
  }
  return env;
}
