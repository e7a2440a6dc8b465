import { endpointApi, startWebhooks, type WebhooksHarness } from './webhooks-harness';

describe('Webhook endpoint URL safety (production settings)', () => {
  let h: WebhooksHarness;
  beforeAll(async () => {
    h = await startWebhooks('webhook_url_safety', {
      worker: false,
      outbound: { allowInsecure: false, allowPrivate: false, allowedPorts: [443] },
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  it.each([
    ['http, not https', 'http://example.org/hooks', 'The URL must use https'],
    ['loopback', 'https://127.0.0.1/hooks', 'loopback'],
    ['a name resolving to loopback', 'https://localhost/hooks', 'loopback'],
    ['private IPv4', 'https://10.0.0.8/hooks', 'private'],
    ['link-local (cloud metadata)', 'https://169.254.169.254/latest', 'link-local'],
    ['IPv6 loopback', 'https://[::1]/hooks', 'loopback'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/hooks', 'loopback'],
    ['unique-local IPv6', 'https://[fd12:3456::1]/hooks', 'unique-local'],
    ['unspecified', 'https://0.0.0.0/hooks', 'unspecified'],
    ['multicast', 'https://224.0.0.1/hooks', 'multicast'],
    ['another scheme', 'ftp://example.org/hooks', 'https'],
    ['a port other than 443', 'https://8.8.8.8:8443/hooks', 'port must be 443'],
    ['the 6to4 relay anycast', 'https://192.88.99.1/hooks', 'reserved'],
    ['Teredo', 'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hooks', 'reserved'],
    ['local-use NAT64', 'https://[64:ff9b:1::a00:1]/hooks', 'reserved'],
  ])('refuses %s at registration with BAD_USER_INPUT on input.url', async (_case, url, reason) => {
    const before = await h.models.endpoints.countDocuments();
    const refused = await endpointApi(h.partner('acme')).register({ url, eventTypes: ['ContractCreated'] });
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.errors[0]!.extensions!.field).toBe('input.url');
    expect(refused.errors[0]!.message).toContain(reason);
    expect(await h.models.endpoints.countDocuments()).toBe(before);
  });

  it('refuses a private URL on update too', async () => {
    const ministry = endpointApi(h.ministry);
    const refused = await ministry.update('no-such-endpoint', { url: 'https://10.1.1.1/' });
    expect(refused.code).toBe('NOT_FOUND');
  });
});
