import { classifyAddress } from '../src/outbound/outbound-address';
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import {
  checkTarget,
  dnsResolver,
  outboundPolicyOf,
  parseAllowedPorts,
  refuseUrl,
  type Resolver,
} from '../src/outbound/outbound-policy';

const production = { allowInsecure: false, allowPrivate: false, allowedPorts: [443] };
const development = { allowInsecure: true, allowPrivate: true, allowedPorts: 'any' as const };
/** A DNS answer of the test's choosing (the system resolver is the default in the service). */
const resolvingTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('Outbound address classes', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:c0a8:0101::1', 'private'],
    ['192.88.99.1', 'reserved'],
    ['64:ff9b:1::808:808', 'reserved'],
    ['64:ff9b:1:ffff::1', 'reserved'],
    ['::ffff:0:7f00:1', 'loopback'],
    ['::ffff:0:808:808', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['2001::1', 'reserved'],
    ['not-an-ip', 'invalid'],
  ])('classifies %s as %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'takes %s as public',
    (address) => {
      expect(classifyAddress(address)).toBeNull();
    },
  );
});

describe('Outbound target check', () => {
  it('refuses http unless insecure URLs are allowed, and credentials or fragments always', () => {
    expect(refuseUrl('http://example.org/', production)).toBe('The URL must use https');
    expect(refuseUrl('http://example.org/', development)).toBeNull();
    expect(refuseUrl('https://a:b@example.org/', development)).toContain('credentials');
    expect(refuseUrl('https://example.org/#x', development)).toContain('fragment');
    expect(refuseUrl(`https://example.org/${'a'.repeat(2100)}`, development)).toContain('longer');
  });

  it('refuses a host when any address it resolves to is not public', async () => {
    const mixed = await checkTarget(
      'https://hooks.example.org/',
      production,
      resolvingTo('8.8.8.8', '10.0.0.1'),
    );
    expect(mixed).toEqual({ ok: false, reason: "The URL's host is not a public address (private)" });
  });

  it('connects to the address it checked', async () => {
    const checked = await checkTarget(
      'https://hooks.example.org/x',
      production,
      resolvingTo('2606:4700:4700::1111'),
    );
    expect(checked).toMatchObject({ ok: true, target: { address: '2606:4700:4700::1111', family: 6 } });
  });

  it('refuses a host that does not resolve', async () => {
    const failing: Resolver = async () => {
      throw new Error('ENOTFOUND');
    };
    expect(await checkTarget('https://nowhere.invalid/', production, failing)).toEqual({
      ok: false,
      reason: 'The host nowhere.invalid does not resolve',
    });
  });

  it('lets private targets through when the configuration allows them', async () => {
    expect(await checkTarget('http://127.0.0.1:8080/', development)).toMatchObject({ ok: true });
  });

  it('refuses a port the policy does not allow (production: 443 only), whatever the scheme’s default', () => {
    expect(refuseUrl('https://example.org:8443/hooks', production)).toBe("The URL's port must be 443");
    expect(refuseUrl('https://example.org:443/hooks', production)).toBeNull();
    expect(refuseUrl('https://example.org/hooks', production)).toBeNull();
    expect(refuseUrl('http://example.org/hooks', { ...development, allowedPorts: [443] })).toBe(
      "The URL's port must be 443",
    );
    expect(refuseUrl('http://127.0.0.1:61234/hooks', development)).toBeNull();
  });
});

describe('The outbound policy of a configuration', () => {
  const flags = (insecure: boolean, privateTargets: boolean) => ({
    WEBHOOKS_ALLOW_INSECURE: insecure,
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: privateTargets,
  });

  it('allows port 443 only by default, and any port when insecure or private targets are allowed', () => {
    expect(outboundPolicyOf(flags(false, false)).allowedPorts).toEqual([443]);
    expect(outboundPolicyOf(flags(true, false)).allowedPorts).toBe('any');
    expect(outboundPolicyOf(flags(false, true)).allowedPorts).toBe('any');
  });

  it('takes WEBHOOKS_ALLOWED_PORTS when set, over either default', () => {
    expect(
      outboundPolicyOf({ ...flags(true, true), WEBHOOKS_ALLOWED_PORTS: [443, 8443] }).allowedPorts,
    ).toEqual([443, 8443]);
    expect(outboundPolicyOf({ ...flags(false, false), WEBHOOKS_ALLOWED_PORTS: 'any' }).allowedPorts).toBe(
      'any',
    );
  });

  it.each([
    ['443', [443]],
    ['443, 8443,443', [443, 8443]],
    ['*', 'any'],
    ['0', null],
    ['65536', null],
    ['443,', null],
    ['https', null],
  ])('reads WEBHOOKS_ALLOWED_PORTS %j as %j', (text, ports) => {
    expect(parseAllowedPorts(text)).toEqual(ports);
  });
});

describe('DNS of outbound targets', () => {
  let silent: Socket;
  let server: string;
  beforeAll(async () => {
    // A DNS server that takes every query and never answers.
    silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    server = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())));

  it('gives up on a server that does not answer, and the target does not resolve', async () => {
    const resolve = dnsResolver([server]);
    await expect(resolve('hooks.example.org', 100)).rejects.toThrow();
    expect(await checkTarget('https://hooks.example.org/', production, resolve, 100)).toEqual({
      ok: false,
      reason: 'The host hooks.example.org does not resolve',
    });
  });

  it('answers localhost and literal addresses without asking a server', async () => {
    const resolve = dnsResolver([server]);
    expect(await resolve('localhost', 100)).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(await checkTarget('https://[2606:4700:4700::1111]/', production, resolve, 100)).toMatchObject({
      ok: true,
      target: { address: '2606:4700:4700::1111', family: 6 },
    });
  });
});
