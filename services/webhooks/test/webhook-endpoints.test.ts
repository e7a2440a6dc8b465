import { checkFilter } from '../src/endpoint/endpoint-access';
import { endpointApi, startWebhooks, type WebhooksHarness } from './webhooks-harness';

describe('Webhook endpoints', () => {
  let h: WebhooksHarness;
  beforeAll(async () => {
    h = await startWebhooks('webhook_endpoints', { worker: false });
  });
  afterAll(async () => {
    await h.stop();
  });

  const url = 'http://127.0.0.1:9/hooks';
  const acme = () => endpointApi(h.partner('acme'));
  const registerAcme = async (input: Record<string, unknown> = {}) => {
    const registered = await acme().register({
      url,
      eventTypes: ['ContractCreated'],
      description: 'Acme sync',
      ...input,
    });
    expect(registered.errors).toEqual([]);
    return registered.data;
  };

  describe('when a partner registers an endpoint', () => {
    it('shows a whsec_ secret of 32 random bytes once, and never again', async () => {
      const { signingSecret, endpoint } = await registerAcme();
      expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(signingSecret.slice('whsec_'.length), 'base64')).toHaveLength(32);
      expect(endpoint).toMatchObject({
        partnerId: 'acme',
        url,
        eventTypes: ['ContractCreated'],
        enabled: true,
        activeSecretCount: 1,
        version: 1,
      });
      // No field of the API holds it, and neither the projection nor the change log stores it in clear.
      const read = await h
        .partner('acme')
        .query(`query($id: ID!) { webhookEndpoint(id: $id) { __typename } }`, { id: endpoint.id });
      expect(JSON.stringify(read.body)).not.toContain(signingSecret.slice(6));
      const stored = JSON.stringify(await h.models.endpoints.findById(endpoint.id).lean());
      const records = JSON.stringify(await h.models.changeLog.find({ subjectId: endpoint.id }).lean());
      for (const text of [stored, records]) {
        expect(text).not.toContain(signingSecret);
        expect(text).not.toContain(signingSecret.slice(6));
      }
    });

    it('records the registration in the change log', async () => {
      const { endpoint } = await registerAcme();
      const records = await h.models.changeLog.find({ subjectId: endpoint.id }).lean();
      expect(records).toEqual([
        expect.objectContaining({
          kind: 'REGISTER',
          version: 1,
          bySubject: 'acme-system',
          byRole: 'PARTNER',
          subjectType: 'WebhookEndpoint',
        }),
      ]);
    });

    it('limits it to partner-visible event types (BAD_USER_INPUT otherwise), and changes nothing', async () => {
      const before = await h.models.endpoints.countDocuments();
      const refused = await acme().register({ url, eventTypes: ['ContractCreated', 'DisputeOpened'] });
      expect(refused.code).toBe('BAD_USER_INPUT');
      expect(refused.errors[0]!.extensions!.field).toBe('input.eventTypes');
      expect(refused.errors[0]!.message).toContain('DisputeOpened');
      expect(await h.models.endpoints.countDocuments()).toBe(before);
    });

    it("bounds a catchment-scoped partner's filter to its catchments", async () => {
      const york = endpointApi(h.partner('york-jobs', ['york']));
      const defaulted = await york.register({ url, eventTypes: ['CatchmentPeriodsChanged'] });
      expect(defaulted.data.endpoint.catchmentIds).toEqual(['york']);
      const outside = await york.register({
        url,
        eventTypes: ['CatchmentPeriodsChanged'],
        catchmentIds: ['peel'],
      });
      expect(outside.code).toBe('BAD_USER_INPUT');
      expect(outside.errors[0]!.extensions!.field).toBe('input.catchmentIds');
    });

    it('refuses malformed input with a typed error, never a 5xx', async () => {
      for (const input of [
        { url: 'not a url', eventTypes: ['ContractCreated'] },
        { url, eventTypes: [] },
        { url, eventTypes: ['contract created'] },
        { url, eventTypes: ['ContractCreated'], description: 'x'.repeat(501) },
        { url, eventTypes: ['ContractCreated'], description: 'bell\u0007' },
        { url, eventTypes: ['ContractCreated'], catchmentIds: ['Not An Id'] },
        { url: 'https://user:pw@example.org/hooks', eventTypes: ['ContractCreated'] },
      ]) {
        const refused = await acme().register(input);
        expect(refused.code).toBe('BAD_USER_INPUT');
      }
    });

    it('checks the types a caller sends against the platform’s, not the ones an endpoint kept', () => {
      const any = { eventTypes: 'any' as const, catchmentIds: null };
      expect(checkFilter({ eventTypes: ['NoSuchEvent'] }, any)).toMatchObject({ ok: false });
      expect(checkFilter({ eventTypes: ['NoSuchEvent'] }, any, { knownTypesOnly: false })).toMatchObject({
        ok: true,
      });
    });

    it('refuses event types the platform does not publish, for the ministry’s own endpoints too, and changes nothing', async () => {
      const ministry = endpointApi(h.ministry);
      const before = (await ministry.list()).data.totalCount;
      // A misspelling, an invented type, and one only ever recorded (a batch import's history).
      for (const eventTypes of [
        ['ContractCreated', 'ContractCreatd'],
        ['NoSuchEvent'],
        ['DisputeImported'],
      ]) {
        const refused = await ministry.register({ url, eventTypes });
        expect(refused.code).toBe('BAD_USER_INPUT');
        expect(refused.errors[0].message).toContain(eventTypes.at(-1));
      }
      expect((await ministry.list()).data.totalCount).toBe(before);
      const endpoint = (await ministry.register({ url, eventTypes: ['DisputeOpened'] })).data.endpoint;
      const renamed = await ministry.update(endpoint.id, { eventTypes: ['DisputeOpenned'] });
      expect(renamed.code).toBe('BAD_USER_INPUT');
      // An empty URL is a bad URL, not "keep the current one".
      const emptied = await ministry.update(endpoint.id, { url: '' });
      expect(emptied.code).toBe('BAD_USER_INPUT');
      expect((await ministry.get(endpoint.id)).data).toMatchObject({
        url,
        eventTypes: ['DisputeOpened'],
        version: endpoint.version,
      });
    });
  });

  describe('access, role by role', () => {
    it('shows a partner only its own endpoints, and another partner’s as unknown', async () => {
      const mine = (await registerAcme()).endpoint;
      const theirs = (
        await endpointApi(h.partner('globex')).register({ url, eventTypes: ['ContractCreated'] })
      ).data.endpoint;
      const listed = (await acme().list()).data.edges.map((e: any) => e.node);
      expect(listed.every((e: any) => e.partnerId === 'acme')).toBe(true);
      expect(listed.map((e: any) => e.id)).toContain(mine.id);
      expect((await acme().get(theirs.id)).data).toBeNull();
      for (const refused of [
        await acme().disable(theirs.id),
        await acme().rotate(theirs.id),
        await acme().deliveries(theirs.id),
      ])
        expect(refused.code).toBe('NOT_FOUND');
      expect((await endpointApi(h.partner('globex')).get(theirs.id)).data.enabled).toBe(true);
    });

    it('shows the ministry every endpoint, and lets it manage any', async () => {
      const theirs = (await registerAcme()).endpoint;
      const globex = (
        await endpointApi(h.partner('globex')).register({ url, eventTypes: ['ContractCreated'] })
      ).data.endpoint;
      const listed = (await endpointApi(h.ministry).list()).data;
      const ids = listed.edges.map((e: any) => e.node.id);
      expect(ids).toEqual(expect.arrayContaining([theirs.id, globex.id]));
      expect(listed.edges.map((e: any) => e.node.partnerId)).toEqual(
        expect.arrayContaining(['acme', 'globex']),
      );
      expect((await endpointApi(h.ministry).disable(theirs.id, 'Partner asked by phone')).data).toMatchObject(
        {
          enabled: false,
          disabledReason: 'Partner asked by phone',
        },
      );
    });

    it('lets the ministry register for a partner (partner bounds apply) or for itself (any type)', async () => {
      const ministry = endpointApi(h.ministry);
      const own = await ministry.register({ url, eventTypes: ['DisputeOpened'] });
      expect(own.data.endpoint.partnerId).toBeNull();
      const forPartner = await ministry.register({ url, eventTypes: ['DisputeOpened'], partnerId: 'acme' });
      expect(forPartner.code).toBe('BAD_USER_INPUT');
    });

    it.each([
      ['SSM', () => h.ssm],
      ['PROVIDER', () => h.provider],
      ['PUBLIC', () => h.anonymous],
    ])('refuses %s with FORBIDDEN, changing nothing', async (_role, caller) => {
      const target = (await registerAcme()).endpoint;
      const api = endpointApi(caller());
      const before = await h.models.changeLog.countDocuments();
      for (const refused of [
        await api.register({ url, eventTypes: ['ContractCreated'] }),
        await api.list(),
        await api.get(target.id),
        await api.disable(target.id),
        await api.rotate(target.id),
        await api.deliveries(target.id),
        await api.replaySince(target.id, new Date(0).toISOString()),
      ])
        expect(refused.code).toBe('FORBIDDEN');
      expect(await h.models.changeLog.countDocuments()).toBe(before);
    });
  });

  describe('changes', () => {
    it('updates, disables and enables, each a change-log record', async () => {
      const { endpoint } = await registerAcme();
      const updated = await acme().update(endpoint.id, {
        eventTypes: ['ContractCreated', 'CatchmentPeriodsChanged'],
        description: 'Both',
      });
      expect(updated.data).toMatchObject({
        eventTypes: ['CatchmentPeriodsChanged', 'ContractCreated'],
        description: 'Both',
        version: 2,
      });
      expect((await acme().disable(endpoint.id, 'Deploying')).data).toMatchObject({
        enabled: false,
        version: 3,
      });
      expect((await acme().enable(endpoint.id)).data).toMatchObject({
        enabled: true,
        disabledReason: null,
        version: 4,
      });
      const records = await h.models.changeLog.find({ subjectId: endpoint.id }).sort({ version: 1 }).lean();
      expect(records.map((r) => r.kind)).toEqual(['REGISTER', 'UPDATE', 'DISABLE', 'ENABLE']);
      expect(records[2]!.events.map((e) => e.type)).toEqual(['WebhookEndpointDisabled']);
    });

    it('refuses a stale expectedVersion with CONFLICT', async () => {
      const { endpoint } = await registerAcme();
      await acme().update(endpoint.id, { description: 'v2' });
      const stale = await acme().update(endpoint.id, { description: 'v3', expectedVersion: 1 });
      expect(stale.code).toBe('CONFLICT');
      expect((await acme().get(endpoint.id)).data.description).toBe('v2');
    });

    it('keeps exactly one winner per version when callers disable and update at once', async () => {
      const { endpoint } = await registerAcme();
      const answers = await Promise.all([
        ...Array.from({ length: 5 }, () => acme().disable(endpoint.id, 'maintenance')),
        ...Array.from({ length: 5 }, (_, i) => acme().update(endpoint.id, { description: `racer ${i}` })),
      ]);
      const won = answers.filter((a) => a.errors.length === 0);
      expect(won.length).toBeGreaterThanOrEqual(1);
      for (const lost of answers.filter((a) => a.errors.length > 0)) expect(lost.code).toBe('CONFLICT');
      const versions = won.map((a) => a.data.version).sort();
      expect(new Set(versions).size).toBe(versions.length);
      const records = await h.models.changeLog.find({ subjectId: endpoint.id }).lean();
      expect(records).toHaveLength(1 + won.length);
    });
  });
});
