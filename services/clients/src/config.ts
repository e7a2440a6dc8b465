import { z } from 'zod';
import { internalAuth, loadConfig, logLevel, port, url, eventRelay, jobsConnection } from '@ies/config';

/** Configuration of the clients subgraph process; every variable is listed in the README. */
export const loadClientsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    {
      http: z.object({ PORT: port(4003), HOST: z.string().default('127.0.0.1') }),
      database: z.object({
        MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URI'),
        CLIENTS_DB_NAME: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,63}$/)
          .default('ies_clients'),
      }),
      auth: internalAuth(),
      upstream: z.object({
        CATCHMENTS_SUBGRAPH_URL: url('http://127.0.0.1:4001/graphql'),
        CONTRACTS_SUBGRAPH_URL: url('http://127.0.0.1:4002/graphql'),
        CATCHMENT_SYNC_EVERY_MS: z.coerce.number().int().min(1_000).default(300_000),
      }),
      jobs: jobsConnection(),
      outcomes: z.object({
        /** JSON file of outcome thresholds and the minimum-wage history (default: built in). */
        OUTCOME_CONFIG_FILE: z.string().min(1).optional(),
      }),
      worker: z.object({ WORKER_HEALTH_PORT: port(0) }),
      events: eventRelay(),
      log: z.object({ LOG_LEVEL: logLevel() }),
    },
    env,
  );

export type ClientsConfig = ReturnType<typeof loadClientsConfig>;
