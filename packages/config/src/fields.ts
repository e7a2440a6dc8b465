import { z } from 'zod';

/** A TCP port; 0 asks the OS for a free one. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const url = (fallback?: string) => {
  const schema = z.string().url();
  return fallback === undefined ? schema : schema.default(fallback);
};

export const logLevel = () =>
  z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** A shared secret: long enough to resist guessing. */
export const secret = () => z.string().min(32, 'must be at least 32 characters');

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** A duration in milliseconds within bounds. */
export const milliseconds = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * The internal principal header, for every process that signs or verifies it: the shared secret, the
 * lifetime of each header (signers give it, verifiers refuse longer ones) and how far in the future a
 * verifier accepts an issue time (clocks of two hosts differ). Defaults match `INTERNAL_HEADER_DEFAULTS`
 * in `@ies/auth`.
 */
export const internalAuth = () =>
  z.object({
    INTERNAL_SIGNING_SECRET: secret(),
    INTERNAL_HEADER_TTL_MS: milliseconds(5_000, 1_000, 60_000),
    INTERNAL_HEADER_CLOCK_SKEW_MS: milliseconds(1_000, 0, 5_000),
  });

/**
 * The domain-events relay every service worker runs (`@ies/events`, ADR 0018): how often it polls the
 * change log's outbox when it is empty, and the approximate length the platform's stream is trimmed to.
 */
export const eventRelay = () =>
  z.object({
    EVENTS_RELAY_POLL_MS: milliseconds(150, 10, 60_000),
    EVENTS_STREAM_MAX_LENGTH: z.coerce.number().int().min(1_000).max(100_000_000).default(1_000_000),
  });

/**
 * The Redis every service process uses (BullMQ queues, the platform's event stream and its
 * published-version keys) and the key prefix they share (`QUEUE_PREFIX`; a hash tag such as `{ies}`
 * under Redis Cluster).
 */
export const jobsConnection = () =>
  z.object({
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URI')
      .default('redis://127.0.0.1:6379'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_:{}-]{1,64}$/)
      .default('ies'),
  });
