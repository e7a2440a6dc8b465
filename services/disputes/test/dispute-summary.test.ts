import {
  clientDispute,
  disputeApi,
  providerDispute,
  startDisputes,
  type Caller,
  type DisputesHarness,
} from './disputes-harness';

const COUNT = 'value suppressed reason';
const SUMMARY = `catchmentIds openedFrom openedTo kind suppressionThreshold
  opened { ${COUNT} } acknowledged { ${COUNT} } resolved { ${COUNT} } escalated { ${COUNT} } withdrawn { ${COUNT} }
  acknowledgedWithinSla { ${COUNT} } resolvedWithinSla { ${COUNT} } medianBusinessDaysToResolve { ${COUNT} }
  byCategory { category { code } count { ${COUNT} } }`;

/**
 * Seventeen disputes opened Monday 3 February 2025 (acknowledge by 10 February, resolve by 11 March:
 * Family Day skipped) in Durham and London, and one in December 2024, then summarized by callers who
 * see every record and by callers who do not.
 */
describe('Disputes subgraph: the dispute summary', () => {
  let h: DisputesHarness;
  const Q4 = { openedFrom: '2025-01-01', openedTo: '2025-03-31' };

  beforeAll(async () => {
    h = await startDisputes('disputes_summary');
    // The ministry records disputes opened earlier (others open them today); the SSM handles them.
    const ministry = disputeApi(h.ministry);
    const ssm = disputeApi(h.ssmOf('durham', 'london'));
    let n = 0;
    const open = async (input: Record<string, unknown>) =>
      (await ministry.open({ ...input, reference: `D-SUM-${++n}`, on: '2025-02-03' })).dispute.id as string;
    const change = (id: string, status: string, on: string, extra: Record<string, unknown> = {}) =>
      ssm.status({ disputeId: id, status, reason: `${status} in the fixture`, on, ...extra });
    const resolve = (id: string, on: string) =>
      change(id, 'RESOLVED', on, { resolution: { outcome: 'UPHELD', summary: 'Put right' } });
    for (let i = 0; i < 6; i++) {
      const id = await open(clientDispute({ clientId: `client-${i}` }));
      await change(id, 'ACKNOWLEDGED', '2025-02-04');
      await resolve(id, '2025-02-20'); // 12 business days, on time
    }
    for (let i = 0; i < 3; i++) {
      const id = await open(clientDispute({ clientId: `client-late-${i}` }));
      await change(id, 'ACKNOWLEDGED', '2025-02-12'); // late
      await resolve(id, '2025-03-13'); // late: 27 business days
    }
    for (let i = 0; i < 2; i++) {
      const id = await open(clientDispute({ clientId: `client-esc-${i}` }));
      await change(id, 'ESCALATED', '2025-02-05');
      await change(id, 'WITHDRAWN', '2025-02-06');
    }
    await open(clientDispute({ clientId: 'client-waiting' }));
    for (let i = 0; i < 3; i++) {
      const id = await open(providerDispute());
      await change(id, 'ACKNOWLEDGED', '2025-02-04');
      if (i === 0) await resolve(id, '2025-02-20');
    }
    for (let i = 0; i < 2; i++)
      await open(
        clientDispute({ catchmentId: 'london', providerId: 'sp-london-1', clientId: `client-london-${i}` }),
      );
    await ministry.open(clientDispute({ reference: 'D-SUM-DEC', on: '2024-12-02' }));
  });
  afterAll(async () => {
    await h.stop();
  });

  const summaryOf = async (who: Caller, filter: Record<string, unknown>) => {
    const { body } = await who.query(
      `query($filter: DisputeSummaryFilter) { disputeSummary(filter: $filter) { ${SUMMARY} } }`,
      {
        filter,
      },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.disputeSummary;
  };
  const values = (summary: any) => ({
    opened: summary.opened.value,
    acknowledged: summary.acknowledged.value,
    resolved: summary.resolved.value,
    escalated: summary.escalated.value,
    withdrawn: summary.withdrawn.value,
    acknowledgedWithinSla: summary.acknowledgedWithinSla.value,
    resolvedWithinSla: summary.resolvedWithinSla.value,
    median: summary.medianBusinessDaysToResolve.value,
  });
  const categories = (summary: any) =>
    Object.fromEntries(summary.byCategory.map((c: any) => [c.category.code, c.count.value]));

  describe('for the ministry', () => {
    it('shows every figure of the disputes opened in the range, computed from the records', async () => {
      const summary = await summaryOf(h.ministry, { catchmentIds: ['durham', 'london'], ...Q4 });
      expect(summary).toMatchObject({
        catchmentIds: ['durham', 'london'],
        ...Q4,
        kind: null,
        suppressionThreshold: 10,
      });
      expect(values(summary)).toEqual({
        opened: 17,
        acknowledged: 12,
        resolved: 10,
        escalated: 2,
        withdrawn: 2,
        acknowledgedWithinSla: 9,
        resolvedWithinSla: 7,
        median: 12,
      });
      expect(categories(summary)).toMatchObject({ SERVICE_QUALITY: 14, FUNDING_AND_PAYMENTS: 3, PRIVACY: 0 });
      expect(summary.byCategory.every((c: any) => !c.count.suppressed)).toBe(true);
    });

    it('filters by kind and by opening dates', async () => {
      expect(
        values(await summaryOf(h.ministry, { catchmentIds: ['durham'], kind: 'SERVICE_PROVIDER', ...Q4 })),
      ).toMatchObject({
        opened: 3,
        acknowledged: 3,
        resolved: 1,
      });
      expect((await summaryOf(h.ministry, { catchmentIds: ['durham'] })).opened.value).toBe(16);
      expect(
        (await summaryOf(h.ministry, { catchmentIds: ['durham'], openedTo: '2024-12-31' })).opened.value,
      ).toBe(1);
      expect((await summaryOf(h.ministry, {})).opened.value).toBe(18);
    });
  });

  describe('for an SSM', () => {
    it('shows every figure of its own catchments', async () => {
      const summary = await summaryOf(h.ssmOf('durham'), { catchmentIds: ['durham'], ...Q4 });
      expect(values(summary)).toMatchObject({ opened: 15, escalated: 2, withdrawn: 2 });
      expect(summary.escalated.suppressed).toBe(false);
    });

    it('withholds small counts once it asks about a catchment that is not its own', async () => {
      const summary = await summaryOf(h.ssmOf('durham'), { catchmentIds: ['durham', 'london'], ...Q4 });
      expect(summary.opened).toEqual({ value: 17, suppressed: false, reason: null });
      expect(summary.escalated).toMatchObject({ value: null, suppressed: true });
    });
  });

  describe.each([
    ['the public', (h: DisputesHarness) => h.anonymous],
    ['a partner', (h: DisputesHarness) => h.partner],
    ['a provider', (h: DisputesHarness) => h.provider('sp-durham-1')],
  ])('for %s', (_who, who) => {
    it('shows counts of 10 and more, and withholds the smaller ones with the reason', async () => {
      const summary = await summaryOf(who(h), { catchmentIds: ['durham', 'london'], ...Q4 });
      expect(values(summary)).toEqual({
        opened: 17,
        acknowledged: 12,
        resolved: 10,
        escalated: null,
        withdrawn: null,
        acknowledgedWithinSla: null,
        resolvedWithinSla: null,
        median: 12,
      });
      expect(summary.withdrawn).toEqual({
        value: null,
        suppressed: true,
        reason: 'Counts under 10 are withheld from callers who cannot see every dispute behind them',
      });
      expect(categories(summary)).toMatchObject({ SERVICE_QUALITY: 14, FUNDING_AND_PAYMENTS: null });
    });

    it('withholds small counts on a catchment, too', async () => {
      const { body } = await who(h).query(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on CatchmentArea { id disputeSummary(openedFrom: "2025-01-01", openedTo: "2025-03-31") { opened { ${COUNT} } } } } }`,
        {
          r: [
            { __typename: 'CatchmentArea', id: 'london' },
            { __typename: 'CatchmentArea', id: 'durham' },
          ],
        },
      );
      expect(body.data!._entities.map((c: any) => [c.id, c.disputeSummary.opened.value])).toEqual([
        ['london', null],
        ['durham', 15],
      ]);
    });
  });

  it('refuses a range that ends before it starts', async () => {
    const { body } = await h.anonymous.query(
      `{ disputeSummary(filter: { openedFrom: "2025-03-01", openedTo: "2025-02-01" }) { opened { value } } }`,
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
