import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { graphqlRequest } from '@ies/testkit';
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

  /** A provider opens a client dispute against itself and escalates it to the SSM. */
  const escalatedDispute = async (catchmentId: string, providerId: string) => {
    const provider = await token('PROVIDER', { subject: `staff-${providerId}`, providerIds: [providerId] });
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
    const id = opened.dispute.id as string;
    await mutate(
      `mutation($input: DisputeChangeInput!) { escalateDispute(input: $input) { ok error { code message } } }`,
      provider,
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

      const { disputeEscalated } = dataOf(await ssm.nextFor('escalated'));
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
      const london = await connect(await token('SSM', { subject: 'ssm-london', catchmentIds: ['london'] }));
      london.subscribe('escalated', DISPUTE_ACROSS_SUBGRAPHS, {});
      await london.settled();

      const inDurham = await escalatedDispute('durham', 'sp-durham-1');
      const inLondon = await escalatedDispute('london', 'sp-london-1');

      const { disputeEscalated } = dataOf(await london.nextFor('escalated'));
      expect(disputeEscalated.dispute).toMatchObject({ id: inLondon, catchment: { name: 'London' } });
      expect(disputeEscalated.dispute.id).not.toBe(inDurham);
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

      await escalatedDispute('durham', 'sp-durham-1');
      const own = await escalatedDispute('durham', 'sp-durham-2');

      const { events } = dataOf(await provider.nextFor('all'));
      expect(events).toEqual({
        event: { type: 'DisputeOpened' },
        subject: { __typename: 'Dispute', id: own, provider: { id: 'sp-durham-2' } },
      });
    });
  });

  describe('when a client starts an action plan', () => {
    const startPlan = async (reference: string) => {
      const provider = await token('PROVIDER', { subject: 'caseworker-peel', providerIds: ['sp-peel-1'] });
      const registered = await mutate(
        `mutation($input: RegisterClientInput!) { registerClient(input: $input) { ok error { code message } client { id } } }`,
        provider,
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
      const started = await mutate(
        `mutation($input: StartActionPlanInput!) { startActionPlan(input: $input) { ok error { code message } actionPlan { id } } }`,
        provider,
        {
          clientId: registered.client.id,
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

    it("sends the catchment's SSM the plan with its client's name", async () => {
      const ssm = await connect(await token('SSM', { subject: 'ssm-peel', catchmentIds: ['peel'] }));
      ssm.subscribe(
        'started',
        `subscription { actionPlanStarted(catchmentId: "peel") {
          actionPlan { id camsReference client { givenName } servingProvider { id } catchment { name } } } }`,
      );
      await ssm.settled();

      const planId = await startPlan('ssm');

      expect(dataOf(await ssm.nextFor('started'))).toEqual({
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

    it('sends a partner nothing about it (the partner cannot read plans): its first event is a public one', async () => {
      const partner = await connect(
        await token('PARTNER', { subject: 'partner-system', partnerId: 'partner-1', catchmentIds: ['peel'] }),
      );
      partner.subscribe(
        'peel',
        `subscription { events(catchmentIds: ["peel"]) {
          event { type subject { typename } } subject { __typename ... on CatchmentArea { name } } } }`,
      );
      await partner.settled();

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

      expect(dataOf(await partner.nextFor('peel'))).toEqual({
        events: {
          event: { type: 'CatchmentServiceDeliveryZoneSaved', subject: { typename: 'CatchmentArea' } },
          subject: { __typename: 'CatchmentArea', name: 'Peel' },
        },
      });
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

      expect(dataOf(await ssm.nextFor('amended'))).toEqual({
        agreementAmended: {
          event: { type: 'AgreementAmended' },
          agreement: { id: agreementId, funding: { fixed: 4_200_000 }, provider: { id: 'sp-durham-1' } },
        },
      });
    });
  });

  describe('when the token is not valid', () => {
    it('closes the socket with 4403, as graphql-ws clients see it', async () => {
      const forged = (await token('MINISTRY')).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
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
