import { z } from 'zod';
import { internalAuth, loadConfig, logLevel, port } from '@ies/config';

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
      log: z.object({ LOG_LEVEL: logLevel() }),
    },
    env,
  );
