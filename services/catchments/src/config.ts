import { z } from 'zod';
import { eventRelay, internalAuth, loadConfig, logLevel, port, jobsConnection } from '@ies/config';

/** Configuration of the catchments subgraph process; every variable is listed in the README. */
export const loadCatchmentsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    {
      http: z.object({ PORT: port(4001), HOST: z.string().default('127.0.0.1') }),
      database: z.object({
        MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URI'),
        CATCHMENTS_DB_NAME: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,63}$/)
          .default('ies_catchments'),
      }),
      auth: internalAuth(),
      // Read by the worker (the events relay); the API does not use Redis.
      jobs: jobsConnection(),
      worker: z.object({ WORKER_HEALTH_PORT: port(0) }),
      events: eventRelay(),
      log: z.object({ LOG_LEVEL: logLevel() }),
    },
    env,
  );

export type CatchmentsConfig = ReturnType<typeof loadCatchmentsConfig>;
