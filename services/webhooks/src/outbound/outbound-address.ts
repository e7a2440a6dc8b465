import { isIP } from 'node:net';

/** Why an address is not a public unicast one, or null when it is. */
export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'reserved'
  | 'invalid';

const ipv4Bytes = (text: string): number[] | null => {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.map(Number);
};

/** The 16 bytes of an IPv6 address (with an optional dotted IPv4 tail), or null. */
export function ipv6Bytes(text: string): number[] | null {
  let address = text.split('%')[0]!.toLowerCase();
  if (isIP(address) !== 6) return null;
  const lastColon = address.lastIndexOf(':');
  const dotted = address.slice(lastColon + 1);
  if (dotted.includes('.')) {
    // A dotted IPv4 tail is the last two groups.
    const v4 = ipv4Bytes(dotted);
    if (!v4) return null;
    const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
    address = `${address.slice(0, lastColon + 1)}${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
  }
  const [left, right] = address.includes('::') ? address.split('::') : [address, null];
  const parse = (part: string | null | undefined) => (part ? part.split(':') : []);
  const leftGroups = parse(left);
  const rightGroups = parse(right);
  const missing = 8 - leftGroups.length - rightGroups.length;
  if (missing < 0 || (right === null && missing !== 0)) return null;
  const groups = [...leftGroups, ...Array<string>(missing).fill('0'), ...rightGroups];
  return groups.flatMap((g) => {
    const value = parseInt(g, 16);
    return [value >> 8, value & 0xff];
  });
}

function classifyIpv4([a, b, c]: number[]): AddressClass | null {
  if (a === 0) return 'unspecified'; // 0.0.0.0/8 ("this network")
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b! >= 64 && b! <= 127) return 'shared'; // carrier-grade NAT, 100.64.0.0/10
  if (a === 169 && b === 254) return 'link-local';
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'reserved'; // IETF protocol, TEST-NET-1
  if (a === 192 && b === 88 && c === 99) return 'reserved'; // 6to4 relay anycast (deprecated), 192.88.99.0/24
  if (a === 198 && (b === 18 || b === 19)) return 'reserved'; // benchmarking
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'reserved';
  if (a! >= 224 && a! <= 239) return 'multicast';
  if (a! >= 240) return 'reserved'; // 240.0.0.0/4 and the broadcast address
  return null;
}

function classifyIpv6(bytes: number[]): AddressClass | null {
  const zeroUpTo = (n: number) => bytes.slice(0, n).every((b) => b === 0);
  if (zeroUpTo(16)) return 'unspecified';
  if (zeroUpTo(15) && bytes[15] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d): the IPv4 rules apply.
  if (zeroUpTo(10) && bytes[10] === 0xff && bytes[11] === 0xff) return classifyIpv4(bytes.slice(12));
  if (zeroUpTo(12)) return classifyIpv4(bytes.slice(12)) ?? 'reserved';
  // SIIT IPv4-translated (::ffff:0:a.b.c.d, ::ffff:0:0/96): a translator's, never a partner's.
  if (zeroUpTo(8) && bytes[8] === 0xff && bytes[9] === 0xff && bytes[10] === 0 && bytes[11] === 0)
    return classifyIpv4(bytes.slice(12)) ?? 'reserved';
  // NAT64 (64:ff9b::/96) reaches the embedded IPv4 address.
  if (
    bytes[0] === 0x00 &&
    bytes[1] === 0x64 &&
    bytes[2] === 0xff &&
    bytes[3] === 0x9b &&
    bytes.slice(4, 12).every((b) => b === 0)
  )
    return classifyIpv4(bytes.slice(12));
  // Local-use NAT64 (64:ff9b:1::/48): a site's own translator, which may reach anything behind it.
  if (
    bytes[0] === 0x00 &&
    bytes[1] === 0x64 &&
    bytes[2] === 0xff &&
    bytes[3] === 0x9b &&
    bytes[4] === 0 &&
    bytes[5] === 1
  )
    return 'reserved';
  // Teredo (2001::/32) tunnels to an IPv4 address a relay chooses: not a partner's address.
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0 && bytes[3] === 0) return 'reserved';
  // 6to4 (2002::/16) embeds an IPv4 address in bytes 2–5.
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return classifyIpv4(bytes.slice(2, 6));
  if (bytes[0] === 0xff) return 'multicast';
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0xc0) return 'unique-local'; // deprecated site-local
  if ((bytes[0]! & 0xfe) === 0xfc) return 'unique-local'; // fc00::/7
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0x0d && bytes[3] === 0xb8) return 'reserved'; // documentation
  if (bytes[0] === 0x01 && bytes.slice(1, 8).every((b) => b === 0)) return 'reserved'; // discard-only 100::/64
  return null;
}

/**
 * Whether an IP address is a public unicast address, and if not why: private (RFC 1918), loopback,
 * link-local, unique-local, multicast, unspecified and reserved ranges of IPv4 and IPv6, with
 * IPv4-mapped, IPv4-compatible, SIIT-translated, NAT64 and 6to4 IPv6 addresses judged by the IPv4
 * address they carry; local-use NAT64 (64:ff9b:1::/48), Teredo (2001::/32) and the 6to4 relay
 * anycast (192.88.99.0/24) are never taken as public.
 * Null means public.
 */
export function classifyAddress(address: string): AddressClass | null {
  const v4 = ipv4Bytes(address);
  if (v4) return classifyIpv4(v4);
  const v6 = ipv6Bytes(address);
  if (v6) return classifyIpv6(v6);
  return 'invalid';
}
