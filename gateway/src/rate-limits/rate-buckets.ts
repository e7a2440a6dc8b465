import type { Principal } from '@ies/auth';
import type { RateBucket } from '@ies/redis';
import type { TrustedProxies } from './trusted-proxies';

/** Requests allowed per window, by who calls. */
export interface RateLimits {
  perPrincipal: number;
  /** The ministry's tools run reports and bulk changes: a higher limit of their own. */
  ministryPerPrincipal: number;
  perIp: number;
}

/**
 * The buckets a request spends from: its client IP always, and its principal (role and subject of the
 * verified token) when it has one. Anonymous callers share one principal, so only their IP limits them.
 */
export function rateBuckets(
  caller: { principal: Principal | null; ip: string },
  limits: RateLimits,
  keyPrefix: string,
): RateBucket[] {
  const buckets: RateBucket[] = [{ key: `${keyPrefix}ip:${caller.ip}`, limit: limits.perIp }];
  const { principal } = caller;
  if (principal && principal.role !== 'PUBLIC') {
    buckets.push({
      key: `${keyPrefix}principal:${principal.role}:${principal.subject}`,
      limit: principal.role === 'MINISTRY' ? limits.ministryPerPrincipal : limits.perPrincipal,
    });
  }
  return buckets;
}

/**
 * The caller's address. The socket's peer, unless the peer is a trusted proxy: then `X-Forwarded-For`
 * is read from the right (each proxy appends the address it received from), skipping entries that are
 * trusted proxies themselves, and the first entry that is not one is the caller. A caller that reaches
 * the gateway directly is its peer, whatever `X-Forwarded-For` it sends; entries left of the first
 * untrusted one are that caller's own claims and are ignored.
 */
export function clientIp(
  remoteAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies,
): string {
  let caller = normalizeIp(remoteAddress ?? 'unknown');
  if (!trusted.includes(caller)) return caller;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((entry) => normalizeIp(entry.trim()))
    .filter(Boolean);
  while (hops.length > 0 && trusted.includes(caller)) caller = hops.pop()!;
  return caller;
}

/** An IPv4 address seen through an IPv6 socket (`::ffff:10.0.0.1`) is the IPv4 address. */
const normalizeIp = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/** `Retry-After` in whole seconds, never 0 (a client told 0 would retry at once). */
export const retryAfterSeconds = (retryAfterMs: number) => Math.max(1, Math.ceil(retryAfterMs / 1000));
