import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ROLES, type Role } from '@ies/auth';
import { booleanFlag, internalAuth, loadConfig, logLevel, milliseconds, port, url } from '@ies/config';
import type { OperationLimits } from './operation-limits';
import { ASSUMED_SIZES } from './operation-measure';
import { trustedProxyList } from './rate-limits/trusted-proxies';
import { SUBGRAPHS } from './subgraphs';

/** A count of requests per window. */
const requests = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

const subgraphUrls = z.object(
  Object.fromEntries(SUBGRAPHS.map((s) => [s.urlVariable, url(s.defaultUrl)])) as Record<
    string,
    z.ZodType<string>
  >,
);

/** Highest operation cost per role (see operation-measure.ts): the public's lowest, the ministry's highest. */
const DEFAULT_COST_LIMITS: Record<Role, number> = {
  MINISTRY: 50_000,
  SSM: 25_000,
  PROVIDER: 10_000,
  PARTNER: 10_000,
  PUBLIC: 5_000,
};
const costVariable = (role: Role) => `MAX_OPERATION_COST_${role}` as const;
const operationCostLimits = Object.fromEntries(
  ROLES.map((role) => [
    costVariable(role),
    z.coerce.number().int().min(1).max(100_000_000).default(DEFAULT_COST_LIMITS[role]),
  ]),
) as Record<`MAX_OPERATION_COST_${Role}`, z.ZodDefault<z.ZodCoercedNumber<unknown>>>;

/** Configuration of the gateway process; every variable is listed in the README. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(
    {
      http: z.object({ PORT: port(4000), HOST: z.string().default('127.0.0.1') }),
      supergraph: z.object({
        SUPERGRAPH_PATH: z.string().default(join(__dirname, '..', 'supergraph.graphql')),
      }),
      subgraphs: subgraphUrls,
      limits: z.object({
        SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
        MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(50).default(12),
        OPERATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
      }),
      schema: z.object({
        // Introspection (`__schema`, `__type`) for tools in development; production turns it off.
        INTROSPECTION: booleanFlag(true),
      }),
      health: z.object({
        // Subgraphs and Redis are polled in the background; health endpoints answer from the last round.
        HEALTH_POLL_INTERVAL_MS: milliseconds(5_000, 100, 300_000),
        HEALTH_CHECK_TIMEOUT_MS: milliseconds(2_000, 100, 120_000),
      }),
      operations: z.object({
        MAX_OPERATION_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
        MAX_OPERATION_ALIASES: z.coerce.number().int().min(0).max(10_000).default(30),
        MAX_OPERATION_ROOT_FIELDS: z.coerce.number().int().min(1).max(1_000).default(15),
        ...operationCostLimits,
      }),
      caches: z.object({
        DOCUMENT_CACHE_MB: z.coerce.number().int().min(1).max(4096).default(50),
        QUERY_PLAN_CACHE_MB: z.coerce.number().int().min(1).max(4096).default(50),
      }),
      jwt: z
        .object({
          JWT_PUBLIC_KEY: z.string().optional(),
          JWT_PUBLIC_KEY_FILE: z.string().optional(),
          JWT_ISSUER: z.string().min(1).default('ies-dev'),
          JWT_AUDIENCE: z.string().min(1).default('ies-api'),
          JWT_MAX_TOKEN_LIFETIME_S: z.coerce
            .number()
            .int()
            .min(60)
            .max(7 * 24 * 3600)
            .default(12 * 3600),
          JWT_CLOCK_SKEW_S: z.coerce.number().int().min(0).max(300).default(60),
        })
        .refine((v) => v.JWT_PUBLIC_KEY || v.JWT_PUBLIC_KEY_FILE, {
          message: 'set JWT_PUBLIC_KEY (PEM) or JWT_PUBLIC_KEY_FILE',
          path: ['JWT_PUBLIC_KEY'],
        }),
      // Subscriptions read the platform's event stream, `<QUEUE_PREFIX>:events`, on REDIS_URL (below).
      events: z.object({ QUEUE_PREFIX: z.string().min(1).default('ies') }),
      subscriptions: z.object({
        SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(1000).default(20),
        SUBSCRIPTION_CONNECTIONS_PER_PRINCIPAL: z.coerce.number().int().min(1).max(10_000).default(10),
        SUBSCRIPTION_MAX_PENDING_EVENTS: z.coerce.number().int().min(10).max(100_000).default(1000),
      }),
      trustedDocuments: z.object({
        // off: any operation; audit: any, those outside the manifest logged; require: only the manifest's
        // (the ministry's tools excepted). Production sets `require`.
        TRUSTED_DOCUMENTS: z.enum(['off', 'audit', 'require']).default('off'),
        TRUSTED_DOCUMENTS_PATH: z.string().default(join(__dirname, '..', 'trusted-documents.json')),
      }),
      rateLimits: z.object({
        RATE_LIMITS_ENABLED: booleanFlag(false),
        // The gateway's one Redis: rate limits (when enabled) and the event stream subscriptions read.
        REDIS_URL: url('redis://127.0.0.1:6379'),
        // A Redis Cluster hash tag: every key one request spends from lives in the same slot.
        RATE_LIMIT_KEY_PREFIX: z.string().min(1).default('{ies-rate}:'),
        RATE_LIMIT_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(60),
        RATE_LIMIT_PER_PRINCIPAL: requests(600),
        RATE_LIMIT_MINISTRY_PER_PRINCIPAL: requests(2_400),
        RATE_LIMIT_PER_IP: requests(2_400),
        // Addresses and CIDRs of the proxies in front of the gateway, comma-separated: X-Forwarded-For
        // is read only from them (see rate-limits/trusted-proxies.ts).
        RATE_LIMIT_TRUSTED_PROXIES: trustedProxyList(),
        RATE_LIMIT_REDIS_TIMEOUT_MS: milliseconds(500, 10, 10_000),
      }),
      auth: internalAuth(),
      /** The platform's BullMQ prefix, for the queue board (`/ops/queues`, on `REDIS_URL` above). */
      jobs: z.object({
        QUEUE_PREFIX: z
          .string()
          .regex(/^[A-Za-z0-9_:{}-]{1,64}$/)
          .default('ies'),
      }),
      log: z.object({ LOG_LEVEL: logLevel() }),
    },
    env,
  );
  return {
    ...config,
    /** What `operationLimitsPlugin` and the parser enforce, from the `operations` variables. */
    operationLimits: {
      maxTokens: config.operations.MAX_OPERATION_TOKENS,
      maxAliases: config.operations.MAX_OPERATION_ALIASES,
      maxRootFields: config.operations.MAX_OPERATION_ROOT_FIELDS,
      maxCost: Object.fromEntries(
        ROLES.map((role) => [role, config.operations[costVariable(role)]]),
      ) as Record<Role, number>,
      ...ASSUMED_SIZES,
    } satisfies OperationLimits & { maxTokens: number },
    jwtPublicKeyPem: config.jwt.JWT_PUBLIC_KEY ?? readFileSync(config.jwt.JWT_PUBLIC_KEY_FILE!, 'utf8'),
    subgraphUrls: Object.fromEntries(
      SUBGRAPHS.map((s) => [s.name, (config.subgraphs as Record<string, string>)[s.urlVariable]!]),
    ),
  };
}

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
