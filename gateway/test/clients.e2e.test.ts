import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphqlRequest } from '@ies/testkit';
import { startStack, type Stack } from './stack-harness';

const PAYLOAD = 'ok error { code message field }';

describe('Clients and action plans through the gateway (every subgraph and the gateway as processes)', () => {
  let stack: Stack;
  let providerToken: string;
  beforeAll(async () => {
    stack = await startStack('clients_e2e');
    providerToken = await stack.auth.token('PROVIDER', {
      subject: 'caseworker-1',
      providerIds: ['sp-peel-1'],
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const query = (q: string, options: Parameters<typeof graphqlRequest>[2] = {}) =>
    graphqlRequest(stack.graphqlUrl, q, options);

  const startPlanFor = async (reference: string) => {
    const registered = await query(
      `mutation($input: RegisterClientInput!) { registerClient(input: $input) { ${PAYLOAD} client { id } } }`,
      {
        token: providerToken,
        variables: {
          input: {
            camsReference: `CL-E2E-${reference}`,
            givenName: 'Jordan',
            familyName: 'Synthetic',
            birthDate: '2001-02-03',
            equity: { indigenous: 'NO', racialized: 'YES' },
            catchmentId: 'peel',
            providerId: 'sp-peel-1',
            reason: 'Walk-in registration',
          },
        },
      },
    );
    expect(registered.body.data!.registerClient.error).toBeNull();
    const clientId = registered.body.data!.registerClient.client.id;
    const started = await query(
      `mutation($input: StartActionPlanInput!) { startActionPlan(input: $input) { ${PAYLOAD} actionPlan { id } } }`,
      {
        token: providerToken,
        variables: {
          input: {
            clientId,
            camsReference: `AP-E2E-${reference}`,
            catchmentId: 'peel',
            providerId: 'sp-peel-1',
            referralSource: 'ODSP',
            assessment: { stream: 'B', assessedOn: '2025-01-10' },
            startedOn: '2025-01-13',
            reason: 'Plan agreed with the client',
          },
        },
      },
    );
    expect(started.body.data!.startActionPlan.error).toBeNull();
    return { clientId, planId: started.body.data!.startActionPlan.actionPlan.id as string };
  };

  it('lets a provider start a plan and read it with fields from every subgraph', async () => {
    const { planId } = await startPlanFor('one');
    const { body } = await query(
      `query($id: ID!) { actionPlan(id: $id) {
        camsReference status referralSource assessment { stream }
        client { givenName equity { racialized youth } }
        servingProvider { organizationName sites { community } }
        catchment { name serviceSystemManager { organizationName } }
      } }`,
      { token: providerToken, variables: { id: planId } },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.actionPlan).toMatchObject({
      camsReference: 'AP-E2E-one',
      status: 'ACTIVE',
      referralSource: 'ODSP',
      assessment: { stream: 'B' },
      client: { givenName: 'Jordan', equity: { racialized: 'YES', youth: true } },
      catchment: {
        name: 'Peel',
        serviceSystemManager: { organizationName: 'WCG INTERNATIONAL CONSULTANTS LTD' },
      },
    });
    expect(body.data!.actionPlan.servingProvider.organizationName).toMatch(/\(synthetic\)$/);
  });

  it('shows the plan to nobody else: another provider, another SSM, a partner and the public get null', async () => {
    const { planId, clientId } = await startPlanFor('two');
    const tokens = [
      await stack.auth.token('PROVIDER', { providerIds: ['sp-peel-2'] }),
      await stack.auth.token('SSM', { catchmentIds: ['york'] }),
      await stack.auth.token('PARTNER', { partnerId: 'partner-1' }),
      undefined,
    ];
    for (const token of tokens) {
      const { body } = await query(
        `query($p: ID!, $c: ID!) { actionPlan(id: $p) { id } client(id: $c) { id } }`,
        {
          token,
          variables: { p: planId, c: clientId },
        },
      );
      expect(body.data).toEqual({ actionPlan: null, client: null });
    }
    const ssm = await stack.auth.token('SSM', { catchmentIds: ['peel'] });
    const seen = await query(`query($p: ID!) { actionPlan(id: $p) { client { familyName } } }`, {
      token: ssm,
      variables: { p: planId },
    });
    expect(seen.body.data!.actionPlan.client.familyName).toBe('Synthetic');
  });

  it('answers actionPlanSummary to anyone, exact for the ministry and with small counts withheld for the public', async () => {
    const SUMMARY = `query($f: ActionPlanSummaryFilter) { actionPlanSummary(filter: $f) {
      started { value suppressed reason } referredBySocialAssistance { value }
      byReferralSource { source count { value suppressed } } byStream { stream count { value suppressed } }
      byEquityGroup { group count { value suppressed } } } }`;
    const ministry = await stack.auth.token('MINISTRY');
    const variables = { f: { catchmentIds: ['peel'], startedFrom: '2025-01-13', startedTo: '2025-01-13' } };
    const exact = await query(SUMMARY, { token: ministry, variables });
    expect(exact.body.errors).toBeUndefined();
    const summary = exact.body.data!.actionPlanSummary;
    expect(summary.started.value).toBeGreaterThanOrEqual(2);
    const sum = (cells: any[]) => cells.reduce((n: number, c: any) => n + c.count.value, 0);
    expect(sum(summary.byReferralSource)).toBe(summary.started.value);
    expect(sum(summary.byStream)).toBe(summary.started.value);
    const open = await query(SUMMARY, { variables });
    const publicSummary = open.body.data!.actionPlanSummary;
    expect(publicSummary.started).toMatchObject({ value: null, suppressed: true });
    expect(publicSummary.started.reason).toMatch(/under 10/);
    for (const cell of [...publicSummary.byReferralSource, ...publicSummary.byStream]) {
      if (cell.count.value !== null) expect(cell.count.value).toBeGreaterThanOrEqual(10);
    }
    const onCatchment = await query(
      `{ catchmentArea(id: "peel") { name actionPlanSummary { started { value suppressed } } } }`,
      { token: ministry },
    );
    expect(onCatchment.body.data!.catchmentArea.actionPlanSummary.started.suppressed).toBe(false);
  });

  it('lists a provider’s plans on ServiceProvider through the gateway, and refuses them to the public', async () => {
    await startPlanFor('three');
    const PROVIDER_PLANS = `{ serviceProvider(id: "sp-peel-1") { organizationName actionPlans(first: 5) { totalCount edges { node { servingProvider { id } } } } } }`;
    const own = await query(PROVIDER_PLANS, { token: providerToken });
    expect(own.body.errors).toBeUndefined();
    const plans = own.body.data!.serviceProvider.actionPlans;
    expect(plans.totalCount).toBeGreaterThanOrEqual(1);
    expect(plans.edges.every((e: any) => e.node.servingProvider.id === 'sp-peel-1')).toBe(true);
    const anonymous = await query(PROVIDER_PLANS);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(anonymous.body.data?.serviceProvider?.organizationName).toMatch(/\(synthetic\)$/);
  });

  it("runs every operation of the API guide's clients section as documented", async () => {
    const guide = readFileSync(join(__dirname, '..', '..', 'docs', 'api-guide.md'), 'utf8');
    const section = guide.slice(
      guide.indexOf('## Clients and employment action plans'),
      guide.indexOf('## Disputes'),
    );
    const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const run = async (operationName: string, token?: string, variables: Record<string, unknown> = {}) => {
      const block = blocks.find((b) => new RegExp(`(query|mutation) ${operationName}\\b`).test(b));
      expect(block).toBeDefined();
      const { status, body } = await graphqlRequest(stack.graphqlUrl, block!, { token, variables });
      expect({ operationName, errors: body.errors }).toEqual({ operationName, errors: undefined });
      expect(status).toBe(200);
      return body.data as Record<string, any>;
    };
    const provider = await stack.auth.token('PROVIDER', {
      subject: 'caseworker',
      providerIds: ['sp-peel-1'],
    });
    const registered = (await run('Register', provider)).registerClient;
    expect(registered.error).toBeNull();
    const started = (await run('Start', provider, { clientId: registered.client.id })).startActionPlan;
    expect(started.actionPlan).toMatchObject({ sequence: 1, status: 'ACTIVE', assessment: { stream: 'C' } });
    const planId = started.actionPlan.id;
    expect((await run('RecordJob', provider, { planId })).recordJob.error).toBeNull();
    const verified = (await run('Verify', provider, { planId })).verifyCheckpoint.actionPlan;
    expect(verified.checkpoints).toEqual([
      {
        checkpoint: 'MONTH_3',
        dueOn: '2025-06-03',
        fundedOutcome: true,
        outcomeReasons: [],
        usesConcurrentJobs: false,
      },
    ]);
    const plan = (await run('Plan', provider, { id: planId })).actionPlan;
    expect(plan).toMatchObject({
      camsReference: 'AP-0005678',
      client: {
        givenName: 'Avery',
        equity: { indigenous: 'NO', francophone: 'PREFER_NOT_TO_ANSWER', youth: true },
      },
      catchment: { name: 'Peel' },
    });
    const summary = (await run('Summary')).actionPlanSummary;
    expect(summary.started).toHaveProperty('suppressed');
  });
});
