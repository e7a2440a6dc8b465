import { graphqlRequest } from '@ies/testkit';
import { startStack, type Stack } from './stack-harness';

const NETWORK = `query Network($id: ID!) {
  catchmentArea(id: $id) {
    name
    period(asOf: "2024-06-01")
    serviceSystemManager { organizationName }
    contract { termStartDate termEndDate funding { fixed performanceBased total } targets { label measure value } }
    providers { id organizationName sites { community insideCatchment onReserve } }
    agreements(status: ACTIVE) { id kind provider { id } programs { name } funding { total } }
  }
}`;

const AMEND = `mutation Amend($input: AmendAgreementFundingInput!) {
  amendAgreementFunding(input: $input) {
    ok
    agreement { version funding { fixed performanceBased total } amendments { number kind bySubject reason } }
    error { code message field }
  }
}`;

const DURHAM_AGREEMENT = 'agr-sp-durham-1-2025-04-01';

describe('Contracts through the gateway (every subgraph and the gateway as processes)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('contracts_e2e');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const query = (q: string, options: Parameters<typeof graphqlRequest>[2] = {}) =>
    graphqlRequest(stack.graphqlUrl, q, options);
  const funding = (fixed: number, performanceBased: number) => ({ fixed, performanceBased });

  it('gives the ministry a catchment with its SSM, contract, funding and provider network in one query', async () => {
    const token = await stack.auth.token('MINISTRY');
    const { body } = await query(NETWORK, { token, variables: { id: 'durham' } });
    expect(body.errors).toBeUndefined();
    const durham = body.data!.catchmentArea;
    expect(durham).toMatchObject({
      name: 'Durham',
      period: 'IES_DELIVERY',
      serviceSystemManager: { organizationName: 'Region of Durham' },
    });
    const contract = durham.contract;
    expect(contract.funding.total).toBe(contract.funding.fixed + contract.funding.performanceBased);
    expect(contract.targets.length).toBeGreaterThan(0);
    expect(durham.providers.length).toBeGreaterThan(0);
    expect(durham.providers.every((p: any) => p.organizationName.endsWith('(synthetic)'))).toBe(true);
    expect(durham.agreements.length).toBeGreaterThan(0);
    expect(durham.agreements.every((a: any) => Number.isInteger(a.funding.total))).toBe(true);
  });

  it('shows the public the provider network and contract without funding figures or agreements', async () => {
    const { body } = await query(NETWORK, { variables: { id: 'durham' } });
    const durham = body.data!.catchmentArea;
    expect(durham.providers.length).toBeGreaterThan(0);
    expect(durham.contract.funding).toBeNull();
    expect(durham.agreements).toEqual([]);
    expect(body.errors!.length).toBeGreaterThan(0);
    expect(body.errors!.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
  });

  it('shows a partner no funding either', async () => {
    const token = await stack.auth.token('PARTNER', { partnerId: 'partner-1' });
    const { body } = await query(NETWORK, { token, variables: { id: 'london' } });
    expect(body.data!.catchmentArea.contract.funding).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('shows a provider only its own agreements', async () => {
    const token = await stack.auth.token('PROVIDER', { providerIds: ['sp-durham-2'] });
    const { body } = await query(
      `{ providerAgreements(first: 100) { totalCount edges { node { provider { id } funding { total } } } } }`,
      {
        token,
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.providerAgreements.totalCount).toBeGreaterThan(0);
    expect(body.data!.providerAgreements.edges.every((e: any) => e.node.provider.id === 'sp-durham-2')).toBe(
      true,
    );
  });

  describe('an SSM amending provider funding', () => {
    it('is refused during transition, naming the period and its end, and nothing changes', async () => {
      const token = await stack.auth.token('SSM', {
        catchmentIds: ['durham'],
        subject: 'durham-ssm-analyst',
      });
      const versionOf = async () =>
        (await query(`{ providerAgreement(id: "${DURHAM_AGREEMENT}") { version } }`, { token })).body.data!
          .providerAgreement.version;
      const before = await versionOf();
      const { body } = await query(AMEND, {
        token,
        variables: {
          input: {
            agreementId: DURHAM_AGREEMENT,
            funding: funding(100_000_00, 25_000_00),
            reason: 'Rebalance',
            asOf: '2023-06-01',
          },
        },
      });
      expect(body.data!.amendAgreementFunding.ok).toBe(false);
      expect(body.data!.amendAgreementFunding.error).toMatchObject({ code: 'RULE_VIOLATION' });
      expect(body.data!.amendAgreementFunding.error.message).toMatch(
        /transition period on 2023-06-01, which ends on 2023-12-31/,
      );
      expect(await versionOf()).toBe(before);
    });

    it('is allowed during IES delivery and recorded as a numbered amendment with who and why', async () => {
      const token = await stack.auth.token('SSM', {
        catchmentIds: ['durham'],
        subject: 'durham-ssm-analyst',
      });
      const { body } = await query(AMEND, {
        token,
        variables: {
          input: {
            agreementId: DURHAM_AGREEMENT,
            funding: funding(100_000_00, 25_000_00),
            reason: 'Rebalance',
            asOf: '2024-06-01',
          },
        },
      });
      const payload = body.data!.amendAgreementFunding;
      expect(payload.ok).toBe(true);
      const amendments = payload.agreement.amendments;
      expect(amendments.map((a: { number: number }) => a.number)).toEqual(
        Array.from({ length: amendments.length }, (_, i) => i + 1),
      );
      expect(payload.agreement.funding).toEqual({
        fixed: 100_000_00,
        performanceBased: 25_000_00,
        total: 125_000_00,
      });
      expect(amendments.at(-1)).toEqual({
        number: amendments.length,
        kind: 'FUNDING',
        bySubject: 'durham-ssm-analyst',
        reason: 'Rebalance',
      });
    });

    it('is answered for another catchment’s agreement as for an agreement that does not exist', async () => {
      const token = await stack.auth.token('SSM', { catchmentIds: ['york'] });
      const { body } = await query(AMEND, {
        token,
        variables: {
          input: {
            agreementId: DURHAM_AGREEMENT,
            funding: funding(1, 1),
            reason: 'Not mine',
            asOf: '2024-06-01',
          },
        },
      });
      expect(body.data!.amendAgreementFunding).toMatchObject({
        ok: false,
        error: {
          code: 'NOT_FOUND',
          message: `No provider agreement ${DURHAM_AGREEMENT}`,
          field: 'input.agreementId',
        },
      });
    });
  });

  it('lets the ministry amend during transition', async () => {
    const token = await stack.auth.token('MINISTRY', { subject: 'ministry-finance' });
    const { body } = await query(AMEND, {
      token,
      variables: {
        input: {
          agreementId: 'agr-sp-london-1-2025-04-01',
          funding: funding(90_000_00, 10_000_00),
          reason: 'Ministry top-up',
          asOf: '2023-06-01',
        },
      },
    });
    expect(body.data!.amendAgreementFunding).toMatchObject({ ok: true, error: null });
  });

  it('refuses a fraction of a cent as bad input', async () => {
    const token = await stack.auth.token('MINISTRY');
    const { body } = await query(AMEND, {
      token,
      variables: {
        input: { agreementId: DURHAM_AGREEMENT, funding: { fixed: 10.5, performanceBased: 0 }, reason: 'x' },
      },
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
