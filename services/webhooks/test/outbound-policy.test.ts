import { classifyAddress } from '../src/outbound/outbound-address';
import { checkTarget, refuseUrl, type Resolver } from '../src/outbound/outbound-policy';

const production = { allowInsecure: false, allowPrivate: false };
const development = { allowInsecure: true, allowPrivate: true };
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
});
