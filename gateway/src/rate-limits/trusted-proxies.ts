import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

/** The proxies whose `X-Forwarded-For` entries the gateway believes: addresses and CIDR ranges. */
export interface TrustedProxies {
  includes(address: string): boolean;
}

/** One entry of the list: an IPv4/IPv6 address, or a CIDR range (`10.0.0.0/8`, `fd00::/8`). */
function parseEntry(
  entry: string,
): { network: string; prefix: number | null; family: 'ipv4' | 'ipv6' } | null {
  const [network = '', prefixText, extra] = entry.split('/');
  const version = isIP(network);
  if (version === 0 || extra !== undefined) return null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) return { network, prefix: null, family };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= (version === 4 ? 32 : 128) ? { network, prefix, family } : null;
}

/** The entries of a comma-separated list, trimmed, empty ones dropped. */
const entriesOf = (list: string) =>
  list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

/** `RATE_LIMIT_TRUSTED_PROXIES`: a comma-separated list of addresses and CIDRs, empty by default. */
export const trustedProxyList = () =>
  z
    .string()
    .default('')
    .transform(entriesOf)
    .refine((entries) => entries.every((entry) => parseEntry(entry) !== null), {
      message: 'a comma-separated list of IP addresses and CIDR ranges (10.0.0.0/8, fd00::/8)',
    });

/** The set of trusted proxies the entries name (validated by `trustedProxyList`). */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (!parsed) throw new Error(`not an IP address or CIDR range: ${entry}`);
    if (parsed.prefix === null) list.addAddress(parsed.network, parsed.family);
    else list.addSubnet(parsed.network, parsed.prefix, parsed.family);
  }
  return {
    includes(address) {
      const version = isIP(address);
      return version !== 0 && list.check(address, version === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
