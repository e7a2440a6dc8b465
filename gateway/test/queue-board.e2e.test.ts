import { createLogger } from '@ies/logger';
import { PLATFORM_QUEUES } from '@ies/service-registry';
import { testAuth, testEngines, uniqueName, type TestAuth } from '@ies/testkit';
import { removeJobsData } from '@ies/jobs';
import { startGateway, type InProcessGateway } from './gateway-harness';

/** The gateway in-process (its static supergraph needs no subgraph to start), on the test Redis. */
describe('Queue board at /ops/queues', () => {
  let auth: TestAuth;
  let gateway: InProcessGateway;
  let base: string;
  const prefix = uniqueName('queue_board');
  const { redisUrl } = testEngines();
  beforeAll(async () => {
    auth = await testAuth();
    gateway = await startGateway(
      auth,
      { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix },
      createLogger('gateway', 'silent'),
    );
    base = `${gateway.url}/ops/queues`;
  });
  afterAll(async () => {
    await gateway.close();
    await removeJobsData({ redisUrl, prefix });
  });

  const get = async (path: string, token?: string) => {
    const response = await fetch(`${base}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  };

  describe('for the ministry', () => {
    it('serves the board', async () => {
      const page = await get('', await auth.token('MINISTRY'));
      expect(page.status).toBe(200);
      expect(page.type).toContain('text/html');
    });

    it('lists every queue of the platform', async () => {
      const answer = await get('/api/queues', await auth.token('MINISTRY'));
      expect(answer.status).toBe(200);
      const names = (JSON.parse(answer.text) as { queues: { name: string }[] }).queues.map((q) => q.name);
      expect(names.sort()).toEqual([...PLATFORM_QUEUES].sort());
      expect(names).toEqual(expect.arrayContaining(['webhooks-delivery', 'disputes-sla-sweep']));
      expect(names).toEqual(
        expect.arrayContaining(['contracts-catchment-period-sync', 'clients-catchment-period-sync']),
      );
    });
  });

  describe('for anyone else', () => {
    it.each(['PROVIDER', 'SSM', 'PARTNER'] as const)('refuses %s with 403 JSON', async (role) => {
      const token = await auth.token(role, {
        providerIds: ['sp-1'],
        catchmentIds: ['durham'],
        partnerId: 'acme',
      });
      for (const path of ['', '/api/queues']) {
        const refused = await get(path, token);
        expect(refused.status).toBe(403);
        expect(JSON.parse(refused.text)).toEqual({
          errors: [
            { message: 'The queue board is for the ministry only', extensions: { code: 'FORBIDDEN' } },
          ],
        });
      }
    });

    it('refuses a caller without a token, or with a bad one, with 401 JSON', async () => {
      for (const token of [undefined, 'not-a-jwt']) {
        const refused = await get('/api/queues', token);
        expect(refused.status).toBe(401);
        expect(refused.type).toContain('application/json');
        expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
    });
  });

  describe('in a browser: the sign-in form and its cookie', () => {
    const signIn = (token: string) =>
      fetch(`${base}/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      });
    const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0]!;

    it('serves the form to anyone', async () => {
      const page = await fetch(`${base}/sign-in`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('<form method="post" action="/ops/queues/sign-in">');
    });

    it('keeps a ministry token in an HttpOnly, Secure, SameSite=Strict cookie the board takes, until signed out', async () => {
      const signedIn = await signIn(await auth.token('MINISTRY'));
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('location')).toBe('/ops/queues/');
      const setCookie = signedIn.headers.get('set-cookie')!;
      expect(setCookie).toMatch(
        /^ies_queue_board=[^;]+; Max-Age=\d+; Path=\/ops\/queues; HttpOnly; Secure; SameSite=Strict$/,
      );
      const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)![1]);
      expect(maxAge).toBeGreaterThan(0);
      expect(maxAge).toBeLessThanOrEqual(8 * 3600);
      const cookie = cookieOf(signedIn);
      for (const path of ['/', '/api/queues']) {
        const served = await fetch(`${base}${path}`, { headers: { cookie } });
        expect({ path, status: served.status }).toEqual({ path, status: 200 });
      }
      const out = await fetch(`${base}/sign-out`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie },
      });
      expect(out.status).toBe(303);
      expect(out.headers.get('set-cookie')).toMatch(/^ies_queue_board=; Max-Age=0; Path=\/ops\/queues;/);
    });

    it('sets nothing for another role, a bad token or none, and refuses a cookie holding another role’s token', async () => {
      const provider = await auth.token('PROVIDER', { providerIds: ['sp-1'] });
      const refusals: [Response, number][] = [
        [await signIn(provider), 403],
        [await signIn('not-a-jwt'), 401],
        [await signIn(''), 401],
        [
          await fetch(`${base}/sign-in`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ token: await auth.token('MINISTRY') }),
          }),
          401,
        ],
      ];
      for (const [response, status] of refusals) {
        expect(response.status).toBe(status);
        expect(response.headers.get('set-cookie')).toBeNull();
        expect(response.headers.get('content-type')).toContain('application/json');
      }
      const forged = await fetch(`${base}/api/queues`, {
        headers: { cookie: `ies_queue_board=${provider}` },
      });
      expect(forged.status).toBe(403);
    });

    it('ends the cookie with the token, and refuses a cookie it cannot read with 401', async () => {
      const shortLived = await auth.token('MINISTRY', {}, { expiresAt: Math.floor(Date.now() / 1000) + 60 });
      const signedIn = await signIn(shortLived);
      const maxAge = Number(/Max-Age=(\d+)/.exec(signedIn.headers.get('set-cookie')!)![1]);
      expect(maxAge).toBeGreaterThan(0);
      expect(maxAge).toBeLessThanOrEqual(60);
      expect(signedIn.headers.get('cache-control')).toBe('no-store');
      const garbled = await fetch(`${base}/api/queues`, { headers: { cookie: 'ies_queue_board=%E0%A4%A' } });
      expect(garbled.status).toBe(401);
      // A bearer header, when there is one, is the one checked.
      const cookie = cookieOf(await signIn(await auth.token('MINISTRY')));
      const badHeader = await fetch(`${base}/api/queues`, {
        headers: { cookie, authorization: 'Bearer not-a-jwt' },
      });
      expect(badHeader.status).toBe(401);
    });

    it('acts through the cookie for its own pages only, and is never framed', async () => {
      const cookie = cookieOf(await signIn(await auth.token('MINISTRY')));
      const pause = (headers: Record<string, string>) =>
        fetch(`${base}/api/queues/webhooks-delivery/pause`, {
          method: 'PUT',
          headers: { cookie, ...headers },
        });
      // Another origin of the same site (another port, a subdomain): SameSite=Strict sends the cookie.
      const otherOrigins: Record<string, string>[] = [
        { 'sec-fetch-site': 'same-site' },
        { origin: 'http://localhost:5173' },
      ];
      for (const headers of otherOrigins) {
        const refused = await pause(headers);
        expect(refused.status).toBe(403);
        expect(
          ((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions
            .code,
        ).toBe('FORBIDDEN');
      }
      const crossSiteSignIn = await fetch(`${base}/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
        body: new URLSearchParams({ token: await auth.token('MINISTRY') }).toString(),
      });
      expect(crossSiteSignIn.status).toBe(403);
      expect(crossSiteSignIn.headers.get('set-cookie')).toBeNull();
      // Its own page's request acts.
      expect((await pause({ 'sec-fetch-site': 'same-origin' })).status).toBeLessThan(300);
      const resumed = await fetch(`${base}/api/queues/webhooks-delivery/resume`, {
        method: 'PUT',
        headers: { cookie, 'sec-fetch-site': 'same-origin' },
      });
      expect(resumed.status).toBeLessThan(300);
      const page = await fetch(`${base}/`, { headers: { cookie } });
      expect(page.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
      expect(page.headers.get('x-frame-options')).toBe('DENY');
    });
  });
});
