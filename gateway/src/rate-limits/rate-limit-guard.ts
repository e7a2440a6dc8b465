import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { JwtVerifier, Principal } from '@ies/auth';
import { ErrorCode } from '@ies/errors';
import { requestLogger, type Logger } from '@ies/logger';
import { FixedWindowLimiter, openRedisWithoutWaiting } from '@ies/redis';
import type { GatewayConfig } from '../config';
import { clientIp, rateBuckets, retryAfterSeconds, type RateLimits } from './rate-buckets';
import { trustedProxies } from './trusted-proxies';

export interface RateLimitGuard {
  /** Express middleware for `/graphql`: passes the request on, or answers 429 with `Retry-After`. */
  middleware: RequestHandler;
  close(): Promise<void>;
}

/**
 * Rate limits per principal and per client IP, counted in Redis so every gateway replica shares them.
 * Runs before the body is read. When Redis cannot answer (down, slower than its timeout) requests pass:
 * an outage of Redis is not an outage of the API. The change is logged once each way.
 */
export function createRateLimitGuard(
  config: GatewayConfig['rateLimits'],
  verifier: JwtVerifier,
  logger: Logger,
): RateLimitGuard {
  const log = logger.child({ component: 'rate-limits' });
  const redisHealth = redisHealthLog(log);
  const redis = openRedisWithoutWaiting({
    url: config.REDIS_URL,
    commandTimeoutMs: config.RATE_LIMIT_REDIS_TIMEOUT_MS,
    onError: (error) => redisHealth.failed(error),
  });
  const proxies = trustedProxies(config.RATE_LIMIT_TRUSTED_PROXIES);
  const limiter = new FixedWindowLimiter(redis, config.RATE_LIMIT_WINDOW_S * 1000);
  const limits: RateLimits = {
    perPrincipal: config.RATE_LIMIT_PER_PRINCIPAL,
    ministryPerPrincipal: config.RATE_LIMIT_MINISTRY_PER_PRINCIPAL,
    perIp: config.RATE_LIMIT_PER_IP,
  };

  const middleware = async (req: Request, res: Response, next: NextFunction) => {
    const ip = clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], proxies);
    const principal = await verifiedPrincipal(verifier, req.headers.authorization);
    const buckets = rateBuckets({ principal, ip }, limits, config.RATE_LIMIT_KEY_PREFIX);
    let decision;
    try {
      decision = await limiter.spend(buckets);
      redisHealth.answered();
    } catch (error) {
      redisHealth.failed(error as Error);
      return next();
    }
    if (decision.allowed) return next();
    const seconds = retryAfterSeconds(decision.retryAfterMs);
    requestLogger(log, res.locals.requestId ?? 'unknown').warn(
      { ip, role: principal?.role ?? 'PUBLIC', retryAfterSeconds: seconds },
      'rate limited',
    );
    res
      .status(429)
      .setHeader('retry-after', String(seconds))
      .json({
        errors: [
          {
            message: `Too many requests: retry in ${seconds} s`,
            extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: seconds },
          },
        ],
      });
  };

  return {
    middleware,
    async close() {
      redis.disconnect();
    },
  };
}

/**
 * The principal of a valid bearer token; `null` for none or an invalid one (the request is then limited
 * by its IP alone, and the GraphQL context refuses the token).
 */
async function verifiedPrincipal(
  verifier: JwtVerifier,
  authorization: string | undefined,
): Promise<Principal | null> {
  const [scheme, token] = authorization?.split(' ') ?? [];
  if (scheme?.toLowerCase() !== 'bearer' || !token) return null;
  try {
    return await verifier.verify(token);
  } catch {
    return null;
  }
}

/** Logs when Redis stops answering (rate limits are then not enforced) and when it answers again. */
function redisHealthLog(log: Logger) {
  let down = false;
  return {
    failed(error: Error) {
      if (down) return;
      down = true;
      log.warn({ err: error }, 'Redis unavailable: rate limits are not enforced until it answers');
    },
    answered() {
      if (!down) return;
      down = false;
      log.info('Redis answers again: rate limits enforced');
    },
  };
}
