import { addDays, todayInOntario } from '@ies/calendar';
import {
  clientDispute,
  disputeApi,
  providerDispute,
  startDisputes,
  type Caller,
  type DisputesHarness,
} from './disputes-harness';

/**
 * Who sees what, role by role: in lookups, lists, entity resolution and mutations alike; an id out of
 * the caller's scope answers exactly like an unknown id.
 */
describe('Disputes subgraph: access', () => {
  let h: DisputesHarness;
  const ids: Record<'d1' | 'd2' | 'd3' | 'd4', string> = { d1: '', d2: '', d3: '', d4: '' };
  const UNKNOWN = 'dsp-00000000000000000000';

  beforeAll(async () => {
    h = await startDisputes('disputes_access');
    const ministry = disputeApi(h.ministry);
    const opened = await Promise.all([
      ministry.open(clientDispute({ reference: 'D-ACC-1', clientId: 'client-a', providerId: 'sp-durham-1' })),
      ministry.open(clientDispute({ reference: 'D-ACC-2', clientId: 'client-b', providerId: 'sp-durham-2' })),
      ministry.open(
        providerDispute({ reference: 'D-ACC-3', catchmentId: 'london', providerId: 'sp-london-1' }),
      ),
      ministry.open(
        clientDispute({ reference: 'D-ACC-4', clientId: 'client-a', providerId: null, category: 'REFERRAL' }),
      ),
    ]);
    [ids.d1, ids.d2, ids.d3, ids.d4] = opened.map((o) => o.dispute.id);
  });
  afterAll(async () => {
    await h.stop();
  });

  const lookup = async (who: Caller) => {
    const { body } = await who.query(
      `query($r: [_Any!]!) {
        d1: dispute(id: "${ids.d1}") { id } d2: dispute(id: "${ids.d2}") { id }
        d3: dispute(id: "${ids.d3}") { id } d4: dispute(id: "${ids.d4}") { id }
        _entities(representations: $r) { ... on Dispute { id reference } } }`,
      { r: Object.values(ids).map((id) => ({ __typename: 'Dispute', id })) },
    );
    expect(body.errors).toBeUndefined();
    const { _entities, ...byKey } = body.data!;
    const visible = Object.entries(byKey)
      .filter(([, d]) => d !== null)
      .map(([key]) => key);
    // Entities and lookups agree, in the order asked.
    expect(_entities.map((e: any) => e?.id ?? null)).toEqual(
      Object.keys(ids).map((key) => (visible.includes(key) ? ids[key as keyof typeof ids] : null)),
    );
    return visible;
  };

  const list = async (who: Caller, filter: string) => {
    const { body } = await who.query(
      `{ disputes(filter: { ${filter} }, first: 100) { totalCount edges { node { reference } } } }`,
    );
    expect(body.errors).toBeUndefined();
    return body.data!.disputes.edges.map((e: any) => e.node.reference).sort();
  };

  /** A refusal as the caller sees it, with the id made anonymous. */
  const refusalOf = async (who: Caller, disputeId: string) => {
    const answer = await disputeApi(who).escalate({ disputeId, reason: 'Please escalate', on: '2025-03-04' });
    return { ...answer.error, message: answer.error.message.replace(disputeId, '<id>') };
  };

  describe('the ministry', () => {
    it('sees every dispute', async () => {
      expect(await lookup(h.ministry)).toEqual(['d1', 'd2', 'd3', 'd4']);
      expect(await list(h.ministry, 'catchmentId: "durham"')).toEqual(['D-ACC-1', 'D-ACC-2', 'D-ACC-4']);
    });
  });

  describe('an SSM', () => {
    it("sees its catchments' disputes only, in lookups, entities and lists", async () => {
      const ssm = h.ssmOf('durham');
      expect(await lookup(ssm)).toEqual(['d1', 'd2', 'd4']);
      expect(await list(ssm, 'catchmentId: "london"')).toEqual([]);
      expect(await list(ssm, 'providerId: "sp-london-1"')).toEqual([]);
      expect(await list(ssm, 'clientId: "client-a"')).toEqual(['D-ACC-1', 'D-ACC-4']);
    });

    it('is told NOT_FOUND for a dispute of another catchment, exactly as for an unknown id', async () => {
      const ssm = h.ssmOf('durham');
      expect(await refusalOf(ssm, ids.d3)).toEqual(await refusalOf(ssm, UNKNOWN));
      expect(await refusalOf(ssm, ids.d3)).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('may not open a dispute in another catchment', async () => {
      const refused = await disputeApi(h.ssmOf('durham')).open(
        clientDispute({ catchmentId: 'london', providerId: 'sp-london-1' }),
      );
      expect(refused.error).toMatchObject({ code: 'FORBIDDEN', field: 'input.catchmentId' });
    });
  });

  describe('a provider', () => {
    it('sees the disputes it is a party to only, whatever it asks for', async () => {
      const provider = h.provider('sp-durham-1');
      expect(await lookup(provider)).toEqual(['d1']);
      expect(await list(provider, 'catchmentId: "durham"')).toEqual(['D-ACC-1']);
      expect(await list(provider, 'providerId: "sp-durham-2"')).toEqual([]);
      expect(await list(provider, 'clientId: "client-a"')).toEqual(['D-ACC-1']);
    });

    it("resolves another provider's dispute as an entity to null, and its own", async () => {
      const { body } = await h.provider('sp-durham-1').query(
        `query($r: [_Any!]!) { _entities(representations: $r) {
          ... on Dispute { id provider { id } }
          ... on ServiceProvider { id disputes { totalCount edges { node { id } } } } } }`,
        {
          r: [
            { __typename: 'Dispute', id: ids.d2 },
            { __typename: 'Dispute', id: ids.d1 },
            { __typename: 'ServiceProvider', id: 'sp-durham-2' },
            { __typename: 'ServiceProvider', id: 'sp-durham-1' },
          ],
        },
      );
      expect(body.data!._entities).toEqual([
        null,
        { id: ids.d1, provider: { id: 'sp-durham-1' } },
        { id: 'sp-durham-2', disputes: { totalCount: 0, edges: [] } },
        { id: 'sp-durham-1', disputes: { totalCount: 1, edges: [{ node: { id: ids.d1 } }] } },
      ]);
    });

    it("is told NOT_FOUND for another provider's dispute, exactly as for an unknown id", async () => {
      const provider = h.provider('sp-durham-1');
      expect(await refusalOf(provider, ids.d2)).toEqual(await refusalOf(provider, UNKNOWN));
      expect(await refusalOf(provider, ids.d4)).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('opens disputes as a party only', async () => {
      const refused = await disputeApi(h.provider('sp-durham-1')).open(
        providerDispute({ providerId: 'sp-durham-2' }),
      );
      expect(refused.error).toMatchObject({ code: 'FORBIDDEN', field: 'input.providerId' });
    });

    it('opens disputes only in a catchment where it has a site', async () => {
      const provider = disputeApi(h.provider('sp-durham-1', 'sp-nowhere'));
      const today = todayInOntario();
      const elsewhere = await provider.open(
        providerDispute({ catchmentId: 'london', providerId: 'sp-durham-1', on: today }),
      );
      expect(elsewhere.error).toMatchObject({ code: 'RULE_VIOLATION', field: 'input.catchmentId' });
      const unknown = await provider.open(providerDispute({ providerId: 'sp-nowhere', on: today }));
      expect(unknown.error).toMatchObject({ code: 'NOT_FOUND', field: 'input.providerId' });
      const home = await provider.open(providerDispute({ providerId: 'sp-durham-1', on: today }));
      expect(home.error).toBeNull();
      expect(home.dispute.openedOn).toBe(today);
    });

    it.each([
      ['a provider', () => h.provider('sp-durham-1')],
      ['an SSM', () => h.ssmOf('durham')],
    ])('%s may not backdate a dispute (only the ministry records one opened earlier)', async (_w, who) => {
      const yesterday = addDays(todayInOntario(), -1);
      const refused = await disputeApi(who()).open(clientDispute({ on: yesterday }));
      expect(refused.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.on' });
      const recorded = await disputeApi(h.ministry).open(clientDispute({ on: yesterday }));
      expect(recorded.dispute.openedOn).toBe(yesterday);
    });
  });

  describe.each([
    ['a partner', () => h.partner],
    ['the public', () => h.anonymous],
  ])('%s', (_who, who) => {
    it('sees no dispute at all: lookups, entities, lists, a client’s or a provider’s disputes', async () => {
      expect(await lookup(who())).toEqual([]);
      expect(await list(who(), 'catchmentId: "durham"')).toEqual([]);
      const { body } = await who().query(
        `query($r: [_Any!]!) { _entities(representations: $r) {
          ... on Client { id disputes { totalCount } } ... on ServiceProvider { id disputes { totalCount } } } }`,
        {
          r: [
            { __typename: 'Client', id: 'client-a' },
            { __typename: 'ServiceProvider', id: 'sp-durham-1' },
          ],
        },
      );
      expect(body.data!._entities).toEqual([
        { id: 'client-a', disputes: { totalCount: 0 } },
        { id: 'sp-durham-1', disputes: { totalCount: 0 } },
      ]);
    });

    it('is refused every change before any read, the same for any id', async () => {
      expect(await refusalOf(who(), ids.d1)).toEqual(await refusalOf(who(), UNKNOWN));
      expect(await refusalOf(who(), ids.d1)).toMatchObject({ code: 'FORBIDDEN' });
      expect((await disputeApi(who()).open(clientDispute())).error).toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe("a client's disputes", () => {
    it('are listed on the Client entity for those who see them', async () => {
      const { body } = await h
        .ssmOf('durham')
        .query(
          `query($r: [_Any!]!) { _entities(representations: $r) { ... on Client { id disputes(first: 1) { totalCount edges { node { reference client { id } } } pageInfo { hasNextPage endCursor } } } } }`,
          { r: [{ __typename: 'Client', id: 'client-a' }] },
        );
      const disputes = body.data!._entities[0].disputes;
      expect(disputes.totalCount).toBe(2);
      expect(disputes.edges).toHaveLength(1);
      expect(disputes.pageInfo.hasNextPage).toBe(true);
      const next = await h
        .ssmOf('durham')
        .query(
          `query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Client { disputes(first: 5, after: $after) { edges { node { reference } } pageInfo { hasNextPage } } } } }`,
          { r: [{ __typename: 'Client', id: 'client-a' }], after: disputes.pageInfo.endCursor },
        );
      const rest = next.body.data!._entities[0].disputes;
      expect(rest.pageInfo.hasNextPage).toBe(false);
      expect(
        [disputes.edges[0].node.reference, ...rest.edges.map((e: any) => e.node.reference)].sort(),
      ).toEqual(['D-ACC-1', 'D-ACC-4']);
    });
  });

  it('refuses a list that names no catchment, provider or client', async () => {
    const { body } = await h.ministry.query(`{ disputes(filter: { status: OPENED }) { totalCount } }`);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
