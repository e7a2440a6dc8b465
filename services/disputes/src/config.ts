import { z } from 'zod';
import { loadConfig, logLevel, port, url, internalAuth, eventRelay, jobsConnection } from '@ies/config';

/** Configuration of the disputes subgraph and its worker; every variable is listed in the README. */
export const loadDisputesConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    {
      http: z.object({ PORT: port(4004), HOST: z.string().default('127.0.0.1') }),
      worker: z.object({ WORKER_HEALTH_PORT: port(0) }),
      events: eventRelay(),
      database: z.object({
        MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URI'),
        DISPUTES_DB_NAME: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,63}$/)
          .default('ies_disputes'),
      }),
      auth: internalAuth(),
      catchments: z.object({
        CATCHMENTS_SUBGRAPH_URL: url('http://127.0.0.1:4001/graphql'),
        CATCHMENT_SYNC_EVERY_MS: z.coerce.number().int().min(1_000).default(300_000),
      }),
      sla: z.object({
        /** How often the worker sweeps running SLA clocks for breaches (default hourly). */
        DISPUTE_SLA_SWEEP_EVERY_MS: z.coerce.number().int().min(1_000).default(3_600_000),
      }),
      jobs: jobsConnection(),
      log: z.object({ LOG_LEVEL: logLevel() }),
    },
    env,
  );

export type DisputesConfig = ReturnType<typeof loadDisputesConfig>;
