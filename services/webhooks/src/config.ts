import { z } from 'zod';
import {
  booleanFlag,
  eventRelay,
  internalAuth,
  jobsConnection,
  loadConfig,
  logLevel,
  milliseconds,
  port,
  secret,
} from '@ies/config';
import {
  DEFAULT_RETENTION_DAYS,
  DEFAULT_RETENTION_SWEEP_MS,
  minimumRetentionDays,
} from './delivery/retention-sweeper';
import { DEFAULT_RETRY_SCHEDULE_MS, parseRetrySchedule } from './delivery/retry-schedule';
import { parseAllowedPorts } from './outbound/outbound-policy';

/** Configuration of the webhooks subgraph and its worker; every variable is listed in the README. */
export const loadWebhooksConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    {
      http: z.object({ PORT: port(4005), HOST: z.string().default('127.0.0.1') }),
      worker: z.object({ WORKER_HEALTH_PORT: port(0) }),
      events: eventRelay(),
      database: z.object({
        MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URI'),
        WEBHOOKS_DB_NAME: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,63}$/)
          .default('ies_webhooks'),
      }),
      auth: internalAuth(),
      jobs: jobsConnection(),
      webhooks: z
        .object({
          /** Key that seals signing secrets at rest; the internal signing secret when unset. */
          WEBHOOKS_SECRET_KEY: secret().optional(),
          /** `http:` endpoint URLs too (development and tests only). */
          WEBHOOKS_ALLOW_INSECURE: booleanFlag(false),
          /** Private, loopback, link-local… targets too (development and tests only). */
          WEBHOOKS_ALLOW_PRIVATE_TARGETS: booleanFlag(false),
          /**
           * Ports endpoint URLs may name: comma-separated, or `*` for any. Unset: 443 only, or any port
           * when insecure or private targets are allowed (development and tests); see `outboundPolicyOf`.
           */
          WEBHOOKS_ALLOWED_PORTS: z
            .string()
            .optional()
            .transform((text, ctx) => {
              if (text === undefined) return undefined;
              const ports = parseAllowedPorts(text);
              if (!ports) {
                ctx.addIssue({ code: 'custom', message: 'must be `*` or comma-separated ports 1–65535' });
                return z.NEVER;
              }
              return ports;
            }),
          WEBHOOKS_ATTEMPT_TIMEOUT_MS: milliseconds(10_000, 100, 60_000),
          WEBHOOKS_RETRY_SCHEDULE_MS: z
            .string()
            .default(DEFAULT_RETRY_SCHEDULE_MS.join(','))
            .transform((text, ctx) => {
              const schedule = parseRetrySchedule(text);
              if (!schedule) {
                ctx.addIssue({
                  code: 'custom',
                  message: 'must be 1–30 comma-separated positive milliseconds',
                });
                return z.NEVER;
              }
              return schedule;
            }),
          /** How often the worker re-adds the jobs of pending deliveries whose jobs were lost. */
          WEBHOOKS_SWEEP_INTERVAL_MS: milliseconds(300_000, 1_000, 86_400_000),
          /**
           * Days the delivery log's finished rows and the stored events (what replays can reach) are
           * kept; at least the retry schedule's span and a day.
           */
          WEBHOOKS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(DEFAULT_RETENTION_DAYS),
          /** How often the worker deletes what is past the retention. */
          WEBHOOKS_RETENTION_SWEEP_MS: milliseconds(DEFAULT_RETENTION_SWEEP_MS, 60_000, 86_400_000),
          WEBHOOKS_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(20),
          /** Consumer name in the `webhooks` group of the events stream (one per worker replica). */
          WEBHOOKS_CONSUMER: z
            .string()
            .regex(/^[A-Za-z0-9_.-]{1,64}$/)
            .optional(),
        })
        .superRefine((webhooks, ctx) => {
          const minimum = minimumRetentionDays(webhooks.WEBHOOKS_RETRY_SCHEDULE_MS);
          if (webhooks.WEBHOOKS_RETENTION_DAYS < minimum)
            ctx.addIssue({
              code: 'custom',
              path: ['WEBHOOKS_RETENTION_DAYS'],
              message: `must be at least ${minimum}: the retry schedule's span and a day, so no delivery still retried loses its event`,
            });
        }),
      log: z.object({ LOG_LEVEL: logLevel() }),
    },
    env,
  );

export type WebhooksConfig = ReturnType<typeof loadWebhooksConfig>;
