import { Resolver as DnsResolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress } from './outbound-address';

/** What outbound calls may reach (production: https to public addresses only). */
export interface OutboundPolicy {
  /** `http:` URLs too (development and tests). */
  allowInsecure: boolean;
  /** Private, loopback, link-local… addresses too (development and tests). */
  allowPrivate: boolean;
  /** The ports a URL may name (production: 443 only), or `any` (development and tests). */
  allowedPorts: readonly number[] | 'any';
}

/**
 * The outbound policy of a configuration: ports from `WEBHOOKS_ALLOWED_PORTS` when set; when unset,
 * 443 only, unless the configuration allows insecure or private targets (development and tests, whose
 * receivers listen on any port): then any port.
 */
export function outboundPolicyOf(config: {
  WEBHOOKS_ALLOW_INSECURE: boolean;
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: boolean;
  WEBHOOKS_ALLOWED_PORTS?: readonly number[] | 'any';
}): OutboundPolicy {
  const allowInsecure = config.WEBHOOKS_ALLOW_INSECURE;
  const allowPrivate = config.WEBHOOKS_ALLOW_PRIVATE_TARGETS;
  return {
    allowInsecure,
    allowPrivate,
    allowedPorts: config.WEBHOOKS_ALLOWED_PORTS ?? (allowInsecure || allowPrivate ? 'any' : [443]),
  };
}

/** `*` (any port) or comma-separated ports 1–65535; null when malformed. */
export function parseAllowedPorts(text: string): readonly number[] | 'any' | null {
  if (text.trim() === '*') return 'any';
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^\d{1,5}$/.test(part))) return null;
  const ports = parts.map(Number);
  return ports.every((port) => port >= 1 && port <= 65_535) ? [...new Set(ports)] : null;
}

/** Time a target's DNS lookup may take by default (registration); an attempt's is its own deadline's. */
export const DEFAULT_DNS_TIMEOUT_MS = 5_000;

export const MAX_URL_LENGTH = 2048;

/** A resolved target: the URL, and the address to connect to (the one that was checked). */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type TargetCheck = { ok: true; target: CheckedTarget } | { ok: false; reason: string };

/** Resolves a host name to its addresses, giving up after `timeoutMs`. */
export type Resolver = (host: string, timeoutMs: number) => Promise<{ address: string; family: number }[]>;

const LOCALHOST = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

/**
 * DNS through c-ares (`dns.promises.Resolver`, on `servers` or the system's: A and AAAA queries, each with a timeout and one try),
 * not `dns.lookup`: lookups run `getaddrinfo` on libuv's four-thread pool without a timeout, so a few
 * slow-resolving hosts could hold every thread and stall every delivery (and file reads). `localhost`
 * is answered without DNS. Fails when neither query finds an address, or after `timeoutMs`.
 */
export const dnsResolver =
  (servers?: string[]): Resolver =>
  async (host, timeoutMs) => {
    if (host.toLowerCase() === 'localhost' || host.toLowerCase().endsWith('.localhost')) return LOCALHOST;
    const resolver = new DnsResolver({ timeout: Math.max(1, Math.round(timeoutMs)), tries: 1 });
    if (servers) resolver.setServers(servers);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        resolver.cancel();
        reject(new Error(`no DNS answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    const query = async (family: 4 | 6) => {
      const addresses = await (family === 4 ? resolver.resolve4(host) : resolver.resolve6(host));
      return addresses.map((address) => ({ address, family }));
    };
    try {
      const answers = await Promise.race([Promise.allSettled([query(4), query(6)]), deadline]);
      const found = answers.flatMap((answer) => (answer.status === 'fulfilled' ? answer.value : []));
      if (found.length === 0) {
        const failed = answers.find((answer) => answer.status === 'rejected');
        throw failed?.status === 'rejected' ? failed.reason : new Error(`${host} has no address`);
      }
      return found;
    } finally {
      clearTimeout(timer);
    }
  };

/** DNS through the system's configured servers (see `dnsResolver`). */
export const systemResolver: Resolver = dnsResolver();

/** The port a URL connects to: its own, or its scheme's default. */
const portOf = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

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
  if (policy.allowedPorts !== 'any' && !policy.allowedPorts.includes(portOf(url))) {
    return `The URL's port must be ${policy.allowedPorts.join(' or ')}`;
  }
  return null;
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Checks an endpoint URL and resolves its host (at registration and before every attempt: DNS may
 * change): every address the host resolves to must be public unless the policy allows private
 * targets. The caller connects to the returned address, not to a second resolution of the name, so
 * a DNS answer that changes between the check and the connection (rebinding) changes nothing. A
 * literal IP address is not resolved; a name's lookup gives up after `dnsTimeoutMs`.
 */
export async function checkTarget(
  text: string,
  policy: OutboundPolicy,
  resolve: Resolver = systemResolver,
  dnsTimeoutMs: number = DEFAULT_DNS_TIMEOUT_MS,
): Promise<TargetCheck> {
  const refused = refuseUrl(text, policy);
  if (refused) return { ok: false, reason: refused };
  const url = new URL(text);
  const host = bare(url.hostname);
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host, dnsTimeoutMs);
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
