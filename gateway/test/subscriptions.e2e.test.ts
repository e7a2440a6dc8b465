import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { publishEvents } from '@ies/events';
import { connectRedis } from '@ies/redis';
import { graphqlRequest, testAuth } from '@ies/testkit';
import { startStack, type Stack } from './stack-harness';
import { Subscriber, type ServerMessage } from './subscriber';

const DISPUTE_ACROSS_SUBGRAPHS = `
  subscription Escalated($catchmentId: ID) {
    disputeEscalated(catchmentId: $catchmentId) {
      event { type catchmentId subject { typename id } }
      dispute {
        id status escalationLevel
        catchment { name serviceSystemManager { organizationName } }
        provider { organizationName }
      }
    }
  }`;

/** The data of a `next` message, failing on anything else (an error, a completion). */
const dataOf = (message: ServerMessage) => {
  expect(message).toMatchObject({ type: 'next' });
  expect(message.payload.errors).toBeUndefined();
  return message.payload.data;
};

/**
 * graphql-ws subscriptions at the gateway, over real WebSockets, against the real stack (every subgraph,
 * its worker relaying the change log to the event stream, the gateway reading it): each event follows a
 * real mutation through the gateway, and its subject is read through the supergraph as the subscriber.
 */
describe('Subscriptions at the gateway', () => {
  let stack: Stack;
  const subscribers: Subscriber[] = [];
  beforeAll(async () => {
    stack = await startStack('subscriptions_e2e', {
      gatewayEnv: { SUBSCRIPTIONS_PER_CONNECTION: '3', SUBSCRIPTION_CONNECTIONS_PER_PRINCIPAL: '2' },
    });
    // Seeding four databases and starting nine processes on a loaded two-core machine.
  }, 180_000);
  afterEach(() => {
    for (const subscriber of subscribers.splice(0)) subscriber.close();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const token = (...args: Parameters<Stack['auth']['token']>) => stack.auth.token(...args);
  const connect = async (bearer: string | null) => {
    const subscriber = await Subscriber.withToken(stack.graphqlUrl, bearer);
    subscribers.push(subscriber);
    return subscriber;
  };
  const mutate = async (query: string, bearer: string, input: Record<string, unknown>) => {
    const { status, body } = await graphqlRequest(stack.graphqlUrl, query, {
      token: bearer,
      variables: { input },
    });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const payload = Object.values(body.data!)[0];
    expect(payload).toMatchObject({ ok: true });
    return payload;
  };

  const providerToken = (providerId: string) =>
    token('PROVIDER', { subject: `staff-${providerId}`, providerIds: [providerId] });

  /** A provider opens a client dispute against itself. */
  const openedDispute = async (catchmentId: string, providerId: string) => {
    const provider = await providerToken(providerId);
    const opened = await mutate(
      `mutation($input: OpenDisputeInput!) { openDispute(input: $input) { ok error { code message } dispute { id } } }`,
      provider,
      {
        kind: 'CLIENT',
        catchmentId,
        clientId: `client-${providerId}`,
        providerId,
        category: 'LANGUAGE_SERVICES',
        description: 'No interpreter at the assessment',
      },
    );
    return opened.dispute.id as string;
  };

  /** A provider opens a client dispute against itself and escalates it to the SSM. */
  const escalatedDispute = async (catchmentId: string, providerId: string) => {
    const id = await openedDispute(catchmentId, providerId);
    await mutate(
      `mutation($input: DisputeChangeInput!) { escalateDispute(input: $input) { ok error { code message } } }`,
      await providerToken(providerId),
      { disputeId: id, reason: 'No answer from the provider' },
    );
    return id;
  };

  describe("when a provider escalates a dispute in its SSM's catchment", () => {
    it('sends the SSM the dispute with fields from every subgraph, read as the SSM', async () => {
      const ssm = await connect(await token('SSM', { subject: 'ssm-durham', catchmentIds: ['durham'] }));
      ssm.subscribe('escalated', DISPUTE_ACROSS_SUBGRAPHS, { catchmentId: 'durham' });
      await ssm.settled();

      const disputeId = await escalatedDispute('durham', 'sp-durham-1');

      // The disputes worker's SLA sweep may escalate seeded disputes of Durham meanwhile.
      const { disputeEscalated } = await ssm.nextMatching(
        'escalated',
        (data) => data.disputeEscalated.event.subject.id === disputeId,
      );
      expect(disputeEscalated).toMatchObject({
        event: { catchmentId: 'durham', subject: { typename: 'Dispute', id: disputeId } },
        dispute: {
          id: disputeId,
          status: 'ESCALATED',
          escalationLevel: 'SSM',
          catchment: { name: 'Durham', serviceSystemManager: { organizationName: 'Region of Durham' } },
          provider: { organizationName: expect.stringContaining('(synthetic)') },
        },
      });
    });

    it("sends another catchment's SSM nothing: the first it hears is its own catchment's dispute", async () => {
      // Disputes are opened only through the API here (the seed imports, the sweep escalates), and one
      // service's events reach the stream in the order they happened: Durham's first, then London's.
      const london = await connect(await token('SSM', { subject: 'ssm-london', catchmentIds: ['london'] }));
      london.subscribe(
        'opened',
        `subscription { disputeOpened { event { catchmentId } dispute { id catchment { name } } } }`,
      );
      await london.settled();

      const inDurham = await openedDispute('durham', 'sp-durham-1');
      const inLondon = await openedDispute('london', 'sp-london-1');

      const { disputeOpened } = dataOf(await london.nextFor('opened'));
      expect(disputeOpened).toEqual({
        event: { catchmentId: 'london' },
        dispute: { id: inLondon, catchment: { name: 'London' } },
      });
      expect(inDurham).not.toBe(inLondon);
    });
  });

  describe('when a provider subscribes to every event', () => {
    it("hears its own providers' events only", async () => {
      const provider = await connect(
        await token('PROVIDER', { subject: 'staff-durham-2', providerIds: ['sp-durham-2'] }),
      );
      provider.subscribe(
        'all',
        `subscription { events(types: ["DisputeOpened"]) {
          event { type } subject { __typename ... on Dispute { id provider { id } } } } }`,
      );
      await provider.settled();

      await openedDispute('durham', 'sp-durham-1');
      const own = await openedDispute('durham', 'sp-durham-2');

      const { events } = dataOf(await provider.nextFor('all'));
      expect(events).toEqual({
        event: { type: 'DisputeOpened' },
        subject: { __typename: 'Dispute', id: own, provider: { id: 'sp-durham-2' } },
      });
    });
  });

  describe('when a client starts an action plan', () => {
    const caseworker = () => token('PROVIDER', { subject: 'caseworker-peel', providerIds: ['sp-peel-1'] });
    const registerClient = async (reference: string) => {
      const registered = await mutate(
        `mutation($input: RegisterClientInput!) { registerClient(input: $input) { ok error { code message } client { id } } }`,
        await caseworker(),
        {
          camsReference: `CL-SUB-${reference}`,
          givenName: 'Jordan',
          familyName: 'Synthetic',
          birthDate: '2001-02-03',
          equity: { indigenous: 'NO' },
          catchmentId: 'peel',
          providerId: 'sp-peel-1',
          reason: 'Walk-in registration',
        },
      );
      return registered.client.id as string;
    };
    const startPlan = async (reference: string) => {
      const started = await mutate(
        `mutation($input: StartActionPlanInput!) { startActionPlan(input: $input) { ok error { code message } actionPlan { id } } }`,
        await caseworker(),
        {
          clientId: await registerClient(reference),
          camsReference: `AP-SUB-${reference}`,
          catchmentId: 'peel',
          providerId: 'sp-peel-1',
          referralSource: 'ODSP',
          assessment: { stream: 'B', assessedOn: '2025-01-10' },
          startedOn: '2025-01-13',
          reason: 'Plan agreed with the client',
        },
      );
      return started.actionPlan.id as string;
    };

    // The clients worker relays the seeded plans' events (about a thousand) after it starts; a
    // subscriber in Peel would read each of them through the gateway first. The relay publishes in
    // record order, so once a change made now has reached a subscriber, every earlier one has passed.
    beforeAll(async () => {
      const watcher = await Subscriber.withToken(
        stack.graphqlUrl,
        await token('MINISTRY', { subject: 'ministry-watcher' }),
      );
      watcher.subscribe(
        'updated',
        'subscription { events(types: ["ClientUpdated"]) { event { subject { id } } } }',
      );
      await watcher.settled();
      const clientId = await registerClient('watermark');
      await mutate(
        `mutation($input: UpdateClientInput!) { updateClient(input: $input) { ok error { code message } } }`,
        await caseworker(),
        { clientId, givenName: 'Sam', reason: 'Preferred name' },
      );
      await watcher.nextMatching('updated', (data) => data.events.event.subject.id === clientId);
      watcher.close();
    }, 180_000);

    it("sends the catchment's SSM the plan with its client's name", async () => {
      const ssm = await connect(await token('SSM', { subject: 'ssm-peel', catchmentIds: ['peel'] }));
      ssm.subscribe(
        'started',
        `subscription { actionPlanStarted(catchmentId: "peel") {
          actionPlan { id camsReference client { givenName } servingProvider { id } catchment { name } } } }`,
      );
      await ssm.settled();

      const planId = await startPlan('ssm');

      expect(
        await ssm.nextMatching('started', (data) => data.actionPlanStarted.actionPlan.id === planId),
      ).toEqual({
        actionPlanStarted: {
          actionPlan: {
            id: planId,
            camsReference: 'AP-SUB-ssm',
            client: { givenName: 'Jordan' },
            servingProvider: { id: 'sp-peel-1' },
            catchment: { name: 'Peel' },
          },
        },
      });
    });

    it('sends a partner nothing about it (not a partner event type): its first event is a public one', async () => {
      const partner = await connect(
        await token('PARTNER', { subject: 'partner-system', partnerId: 'partner-1', catchmentIds: ['peel'] }),
      );
      // A partner token naming no catchments is province-wide, as its webhooks are: it may name Peel.
      const provinceWide = await connect(
        await token('PARTNER', { subject: 'partner-province', partnerId: 'partner-2' }),
      );
      for (const subscriber of [partner, provinceWide]) {
        subscriber.subscribe(
          'peel',
          `subscription { events(catchmentIds: ["peel"]) {
          event { type subject { typename } } subject { __typename ... on CatchmentArea { name } } } }`,
        );
        await subscriber.settled();
      }

      await startPlan('partner');
      const ministry = await token('MINISTRY', { subject: 'ministry-analyst' });
      await mutate(
        `mutation($input: SaveServiceDeliveryZoneInput!) { saveServiceDeliveryZone(input: $input) { ok error { code message } } }`,
        ministry,
        {
          catchmentId: 'peel',
          name: 'Caledon Hills',
          communities: ['Caledon'],
          reason: 'Protect in-person access',
        },
      );

      for (const subscriber of [partner, provinceWide]) {
        expect(dataOf(await subscriber.nextFor('peel'))).toEqual({
          events: {
            event: { type: 'CatchmentServiceDeliveryZoneSaved', subject: { typename: 'CatchmentArea' } },
            subject: { __typename: 'CatchmentArea', name: 'Peel' },
          },
        });
      }
    });
  });

  describe("when the ministry amends an agreement's funding", () => {
    it("sends the catchment's SSM the amended agreement", async () => {
      const ssm = await connect(
        await token('SSM', { subject: 'ssm-durham-agreements', catchmentIds: ['durham'] }),
      );
      ssm.subscribe(
        'amended',
        `subscription { agreementAmended(catchmentId: "durham") {
          event { type } agreement { id funding { fixed } provider { id } } } }`,
      );
      await ssm.settled();

      const ministry = await token('MINISTRY', { subject: 'ministry-analyst' });
      const agreementId = 'agr-sp-durham-1-2025-04-01';
      await mutate(
        `mutation($input: AmendAgreementFundingInput!) { amendAgreementFunding(input: $input) { ok error { code message } } }`,
        ministry,
        {
          agreementId,
          funding: { fixed: 4_200_000, performanceBased: 100_000 },
          reason: 'Mid-year top-up',
          asOf: '2025-06-01',
        },
      );

      expect(
        await ssm.nextMatching('amended', (data) => data.agreementAmended.agreement.id === agreementId),
      ).toEqual({
        agreementAmended: {
          event: { type: 'AgreementAmended' },
          agreement: { id: agreementId, funding: { fixed: 4_200_000 }, provider: { id: 'sp-durham-1' } },
        },
      });
    });
  });

  describe('when several events arrive at once', () => {
    it('reads their subjects together, sends each message its own subject in stream order, and drops one the subscriber cannot read', async () => {
      const ssm = await connect(
        await token('SSM', { subject: 'ssm-durham-burst', catchmentIds: ['durham'] }),
      );
      ssm.subscribe(
        'burst',
        `subscription { agreementAmended(catchmentId: "durham") {
          event { id } agreement { id catchment { name } } } }`,
      );
      await ssm.settled();
      const durham = 'agr-sp-durham-1-2025-04-01';
      // An event that names Durham about Peel's agreement: it passes the catchment filter, and the SSM's
      // read of the agreement comes back empty.
      const subjects = [durham, 'agr-sp-peel-2-2025-04-01', durham, durham];
      const redis = await connectRedis({ url: stack.catchmentsEnv.REDIS_URL! });
      try {
        await publishEvents(
          redis,
          stack.catchmentsEnv.QUEUE_PREFIX!,
          'contracts',
          subjects.map((id, i) => ({
            id: `evt-burst-${i}`,
            type: 'AgreementAmended',
            occurredAt: new Date(),
            catchmentId: 'durham',
            subject: { typename: 'ProviderAgreement', id },
            data: { kind: 'FUNDING' },
            version: 100 + i,
          })),
        );
      } finally {
        await redis.quit();
      }
      for (const i of [0, 2, 3]) {
        expect(dataOf(await ssm.nextFor('burst'))).toEqual({
          agreementAmended: {
            event: { id: `evt-burst-${i}` },
            agreement: { id: durham, catchment: { name: 'Durham' } },
          },
        });
      }
      await ssm.settled();
      expect(ssm.waiting('burst')).toEqual([]);
    });
  });

  describe('when the token is not valid', () => {
    it('closes the socket with 4403, as graphql-ws clients see it', async () => {
      // Signed by a key the gateway does not trust.
      const forged = await (await testAuth()).token('MINISTRY');
      const closed = await new Promise<{ code: number }>((resolve) => {
        const client = createClient({
          url: stack.graphqlUrl.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${forged}` },
          retryAttempts: 0,
          on: { closed: (event) => resolve(event as { code: number }) },
        });
        client.subscribe(
          { query: 'subscription { events { event { id } } }' },
          {
            next: () => {},
            error: () => {},
            complete: () => {},
          },
        );
      });
      expect(closed.code).toBe(4403);
    });

    it('closes with 4403 an authorization that is not a bearer token', async () => {
      const subscriber = await Subscriber.connect(stack.graphqlUrl, { authorization: 'Basic c3NtOnNzbQ==' });
      expect(await subscriber.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    });
  });

  describe('when a subscription is refused', () => {
    it('refuses anonymous callers with UNAUTHENTICATED', async () => {
      const anonymous = await connect(null);
      anonymous.subscribe('s', 'subscription { events { event { id } } }');
      const message = await anonymous.nextFor('s');
      expect(message).toMatchObject({
        type: 'error',
        payload: [{ extensions: { code: 'UNAUTHENTICATED' } }],
      });
    });

    it('refuses an SSM a catchment outside its token with FORBIDDEN', async () => {
      const ssm = await connect(await token('SSM', { subject: 'ssm-york', catchmentIds: ['york'] }));
      ssm.subscribe('s', 'subscription { disputeEscalated(catchmentId: "peel") { event { id } } }');
      const message = await ssm.nextFor('s');
      expect(message).toMatchObject({
        type: 'next',
        payload: { errors: [{ extensions: { code: 'FORBIDDEN' } }] },
      });
      expect(message.payload.data).toBeUndefined();
      expect(await ssm.nextFor('s')).toMatchObject({ type: 'complete' });
    });

    it('refuses a partner the event types partners do not hear with FORBIDDEN, as its webhooks do', async () => {
      const partner = await connect(
        await token('PARTNER', { subject: 'partner-types', partnerId: 'partner-1' }),
      );
      partner.subscribe('amended', 'subscription { contractAmended { event { id } } }');
      partner.subscribe(
        'events',
        'subscription { events(types: ["ContractCreated", "DisputeOpened"]) { event { id } } }',
      );
      for (const id of ['amended', 'events']) {
        const message = await partner.nextFor(id);
        expect(message).toMatchObject({
          type: 'next',
          payload: { errors: [{ extensions: { code: 'FORBIDDEN' } }] },
        });
        expect(message.payload.data).toBeUndefined();
        expect(await partner.nextFor(id)).toMatchObject({ type: 'complete' });
      }
    });

    it('refuses event types the platform does not publish, and empty lists, with BAD_USER_INPUT; types only the ministry hears with FORBIDDEN', async () => {
      const ssm = await connect(await token('SSM', { subject: 'ssm-types', catchmentIds: ['peel'] }));
      const partner = await connect(
        await token('PARTNER', { subject: 'partner-process', partnerId: 'partner-1' }),
      );
      const refusals: [Subscriber, string, string, string][] = [
        [
          ssm,
          'bogus',
          'subscription { events(types: ["DisputeOpened", "Bogus"]) { event { id } } }',
          'BAD_USER_INPUT',
        ],
        [ssm, 'no-types', 'subscription { events(types: []) { event { id } } }', 'BAD_USER_INPUT'],
        [
          ssm,
          'no-catchments',
          'subscription { events(catchmentIds: []) { event { id } } }',
          'BAD_USER_INPUT',
        ],
        [
          ssm,
          'endpoint',
          'subscription { events(types: ["WebhookEndpointDisabled"]) { event { id } } }',
          'FORBIDDEN',
        ],
        [
          partner,
          'process',
          'subscription { events(types: ["DisputeProcessPublished"]) { event { id } } }',
          'FORBIDDEN',
        ],
      ];
      for (const [who, id, query] of refusals) who.subscribe(id, query);
      for (const [who, id, , code] of refusals) {
        const message = await who.nextFor(id);
        expect({ id, message }).toMatchObject({
          id,
          message: { type: 'next', payload: { errors: [{ extensions: { code } }] } },
        });
        expect(await who.nextFor(id)).toMatchObject({ type: 'complete' });
      }
    });

    it('refuses a document the supergraph does not validate, and queries over WebSocket', async () => {
      const ministry = await connect(await token('MINISTRY', { subject: 'ministry-documents' }));
      ministry.subscribe('unknown', 'subscription { disputeEscalated { dispute { noSuchField } } }');
      ministry.subscribe('query', '{ catchmentArea(id: "peel") { name } }');
      expect(await ministry.nextFor('unknown')).toMatchObject({
        type: 'error',
        payload: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      });
      expect(await ministry.nextFor('query')).toMatchObject({
        type: 'error',
        payload: [{ extensions: { code: 'BAD_REQUEST' } }],
      });
    });

    it('refuses variable values that do not fit their types with BAD_USER_INPUT, as over HTTP', async () => {
      const ministry = await connect(await token('MINISTRY', { subject: 'ministry-variables' }));
      const amended = 'subscription ($c: ID) { agreementAmended(catchmentId: $c) { event { id } } }';
      const events = 'subscription ($t: [String!]!) { events(types: $t) { event { id } } }';
      ministry.subscribe('object', amended, { c: { $gt: '' } });
      ministry.subscribe('missing', events, {});
      ministry.subscribe('null-item', events, { t: ['AgreementAmended', null] });
      for (const id of ['object', 'missing', 'null-item']) {
        const message = await ministry.nextFor(id);
        expect(message).toMatchObject({
          type: 'error',
          payload: [{ extensions: { code: 'BAD_USER_INPUT' } }],
        });
      }
    });

    it('refuses a subscription over the operation limits HTTP operations have (aliases, cost)', async () => {
      const provider = await connect(
        await token('PROVIDER', { subject: 'provider-limits', providerIds: ['sp-peel-1'] }),
      );
      const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(' ');
      provider.subscribe('aliases', `subscription { agreementAmended { event { ${aliases} } } }`);
      expect(await provider.nextFor('aliases')).toMatchObject({
        type: 'error',
        payload: [{ extensions: { code: 'TOO_MANY_ALIASES', limit: 30, actual: 40 } }],
      });
      // Each event reads a catchment's 100 providers with their sites and agreements: over a provider's cost.
      const costly = Array.from(
        { length: 10 },
        (_, i) =>
          `c${i}: catchment { providers { organizationName sites { community } agreements { id programs { name } } } }`,
      ).join(' ');
      provider.subscribe('cost', `subscription { agreementAmended { agreement { ${costly} } } }`);
      expect(await provider.nextFor('cost')).toMatchObject({
        type: 'error',
        payload: [{ extensions: { code: 'OPERATION_TOO_COSTLY' } }],
      });
    });

    it('refuses more subscriptions per connection than configured with TOO_MANY_SUBSCRIPTIONS', async () => {
      const ministry = await connect(await token('MINISTRY', { subject: 'ministry-many' }));
      for (const id of ['1', '2', '3', '4'])
        ministry.subscribe(id, 'subscription { events { event { id } } }');
      expect(await ministry.nextFor('4')).toMatchObject({
        type: 'error',
        payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }],
      });
    });

    it('closes a connection over its principal’s limit with 1008', async () => {
      const bearer = await token('MINISTRY', { subject: 'ministry-connections' });
      await connect(bearer);
      await connect(bearer);
      const third = await Subscriber.connect(stack.graphqlUrl, { authorization: `Bearer ${bearer}` });
      expect(await third.closed).toEqual({ code: 1008, reason: 'Too many connections for this principal' });
    });
  });
});
