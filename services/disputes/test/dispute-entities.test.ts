import { lookupsFor } from '@ies/testkit';
import { clientDispute, disputeApi, startDisputes, type DisputesHarness } from './disputes-harness';

describe('Disputes subgraph: entity resolution in batches', () => {
  let h: DisputesHarness;
  const disputes: { id: string; providerId: string }[] = [];
  const PROVIDERS = ['sp-durham-1', 'sp-durham-2', 'sp-durham-3'];

  beforeAll(async () => {
    h = await startDisputes('disputes_entities');
    const ministry = disputeApi(h.ministry);
    for (let i = 0; i < 12; i++) {
      const providerId = PROVIDERS[i % 3]!;
      const { dispute } = await ministry.open(
        clientDispute({ reference: `D-ENT-${i}`, clientId: `client-${i % 5}`, providerId }),
      );
      disputes.push({ id: dispute.id, providerId });
    }
    await h.refreshSizes();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('resolves N disputes with their categories in one batch of lookups per type', async () => {
    h.commands.reset();
    const { body } = await h.ministry.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Dispute { id reference category { label } provider { id } sla { acknowledgeBy } } } }`,
      { r: disputes.map((d) => ({ __typename: 'Dispute', id: d.id })) },
    );
    expect(body.data!._entities.map((e: any) => e.id)).toEqual(disputes.map((d) => d.id));
    expect(body.data!._entities.every((e: any) => e.category.label === 'Service quality')).toBe(true);
    // One batch: one `$in` on MongoDB, one indexed lookup per distinct id on FerretDB.
    expect(h.commands.count('find', 'disputes')).toBe(await lookupsFor(h.models.disputes, 12));
    expect(h.commands.count('find', 'dispute_categories')).toBe(1);
  });

  it('extends N providers and clients with their disputes in one batch per type, and reads no dispute twice', async () => {
    h.commands.reset();
    const { body } = await h.ministry.query(
      `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on ServiceProvider { id disputes(first: 100) { totalCount edges { node { id category { code } } } } }
        ... on Client { id disputes { totalCount } } } }`,
      {
        r: [
          ...PROVIDERS.map((id) => ({ __typename: 'ServiceProvider', id })),
          ...[0, 1, 2, 3, 4].map((i) => ({ __typename: 'Client', id: `client-${i}` })),
        ],
      },
    );
    const entities = body.data!._entities;
    expect(entities.slice(0, 3).map((p: any) => p.disputes.totalCount)).toEqual([4, 4, 4]);
    expect(entities.slice(3).map((c: any) => c.disputes.totalCount)).toEqual([3, 3, 2, 2, 2]);
    expect(h.commands.count('find', 'disputes')).toBe(
      (await lookupsFor(h.models.disputes, 3)) + (await lookupsFor(h.models.disputes, 5)),
    );
    expect(h.commands.count('find', 'dispute_categories')).toBe(1);
  });

  it('extends N catchments with their process and summary in one batch per type', async () => {
    h.commands.reset();
    const catchments = ['durham', 'london', 'ottawa', 'toronto'];
    const { body } = await h.ministry.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on CatchmentArea { id disputeProcess { version } disputeSummary { opened { value } } } } }`,
      { r: catchments.map((id) => ({ __typename: 'CatchmentArea', id })) },
    );
    expect(
      body.data!._entities.map((c: any) => [
        c.id,
        c.disputeProcess?.version ?? null,
        c.disputeSummary.opened.value,
      ]),
    ).toEqual([
      ['durham', 1, 12],
      ['london', 1, 0],
      ['ottawa', 1, 0],
      ['toronto', null, 0],
    ]);
    expect(h.commands.count('find', 'disputes')).toBe(await lookupsFor(h.models.disputes, 4));
    expect(h.commands.count('find', 'dispute_processes')).toBe(await lookupsFor(h.models.processes, 4));
  });
});
