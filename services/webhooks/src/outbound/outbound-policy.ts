import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress } from './outbound-address';

/** What outbound calls may reach (production: https to public addresses only). */
export interface OutboundPolicy {
  /** `http:` URLs too (development and tests). */
  allowInsecure: boolean;
  /** Private, loopback, link-local… addresses too (development and tests). */
  allowPrivate: boolean;
}

export const MAX_URL_LENGTH = 2048;

/** A resolved target: the URL, and the address to connect to (the one that was checked). */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type TargetCheck = { ok: true; target: CheckedTarget } | { ok: false; reason: string };

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/** The URL-only rules (no DNS): scheme, credentials, length, a host. Null when the URL passes. */
export function refuseUrl(text: string, policy: OutboundPolicy): string | null {
  if (text.length > MAX_URL_LENGTH) return `The URL is longer than ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'The URL is not an absolute URL';
  }
  if (url.protocol !== 'https:' && !(policy.allowInsecure && url.protocol === 'http:')) {
    return policy.allowInsecure ? 'The URL must use https or http' : 'The URL must use https';
  }
  if (url.username || url.password) return 'The URL must not carry credentials';
  if (url.hash) return 'The URL must not have a fragment';
  if (!url.hostname) return 'The URL has no host';
  return null;
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Checks an endpoint URL and resolves its host (at registration and before every attempt: DNS may
 * change): every address the host resolves to must be public unless the policy allows private
 * targets. The caller connects to the returned address, not to a second resolution of the name, so
 * a DNS answer that changes between the check and the connection (rebinding) changes nothing.
 */
export async function checkTarget(
  text: string,
  policy: OutboundPolicy,
  resolve: Resolver = systemResolver,
): Promise<TargetCheck> {
  const refused = refuseUrl(text, policy);
  if (refused) return { ok: false, reason: refused };
  const url = new URL(text);
  const host = bare(url.hostname);
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return { ok: false, reason: `The host ${host} does not resolve` };
    }
  }
  if (addresses.length === 0) return { ok: false, reason: `The host ${host} does not resolve` };
  if (!policy.allowPrivate) {
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (kind) return { ok: false, reason: `The URL's host is not a public address (${kind})` };
    }
  }
  const [first] = addresses;
  return { ok: true, target: { url, address: first!.address, family: first!.family === 6 ? 6 : 4 } };
}
