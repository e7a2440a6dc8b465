import { addDays, todayInOntario } from '@ies/calendar';
import { startClients, type ClientsHarness } from './clients-harness';

const ERROR = 'ok error { code message field }';
const PLAN = `id camsReference sequence status startedOn closedOn closingReason referralSource version
  assessment { stream assessedOn } catchment { id } servingProvider { id } siteId activeOffersDue
  client { id } jobs { employer hoursPerWeek hourlyWageCents } checkpoints { checkpoint dueOn fundedOutcome outcomeReasons usesConcurrentJobs }`;
const CLIENT = `id camsReference givenName familyName birthDate equity { indigenous francophone youth } catchment { id } servingProvider { id } version`;

type Who = ReturnType<ClientsHarness['as']>;
let sequence = 0;
const nextRef = (prefix: string) => `${prefix}-T${process.pid}-${++sequence}`;

describe('Clients subgraph against FerretDB and the live catchments and contracts subgraphs', () => {
  let h: ClientsHarness;
  /** The events a subject's change-log record of this version carries (their ids and times left out). */
  const eventsOf = async (subjectId: string, version: number) =>
    ((await h.models.changeLog.findOne({ subjectId, version }).lean())?.events ?? []).map(
      ({ type, catchmentId, subject, data }) => ({ type, catchmentId, subject, data }),
    );
  let peelProvider: Who;

  beforeAll(async () => {
    h = await startClients('clients_subgraph');
    peelProvider = h.provider('sp-peel-1');
  });
  afterAll(async () => {
    await h.stop();
  });

  const register = (
    who: Who,
    input: Partial<Record<string, unknown>> = {},
  ): Promise<{ data?: any; errors?: any[] }> =>
    who.query(
      `mutation($input: RegisterClientInput!) { registerClient(input: $input) { ${ERROR} client { ${CLIENT} } } }`,
      {
        input: {
          camsReference: nextRef('CL'),
          givenName: 'Avery',
          familyName: 'Synthetic',
          birthDate: '1990-04-01',
          equity: { indigenous: 'NO', francophone: 'PREFER_NOT_TO_ANSWER' },
          catchmentId: 'peel',
          providerId: 'sp-peel-1',
          reason: 'Walk-in registration',
          ...input,
        },
      },
    );

  const start = (who: Who, clientId: string, input: Partial<Record<string, unknown>> = {}) =>
    who.query(
      `mutation($input: StartActionPlanInput!) { startActionPlan(input: $input) { ${ERROR} actionPlan { ${PLAN} } } }`,
      {
        input: {
          clientId,
          camsReference: nextRef('AP'),
          catchmentId: 'peel',
          providerId: 'sp-peel-1',
          referralSource: 'ONTARIO_WORKS',
          assessment: { stream: 'C', assessedOn: '2024-05-01' },
          startedOn: '2024-05-06',
          reason: 'Client agreed to a plan',
          ...input,
        },
      },
    );

  const newClient = async (who: Who = peelProvider, input: Partial<Record<string, unknown>> = {}) => {
    const res = await register(who, input);
    expect(res.data.registerClient.error).toBeNull();
    return res.data.registerClient.client as { id: string; camsReference: string };
  };

  describe('registration', () => {
    it('registers a client for the calling provider and reads it back with its identifying fields', async () => {
      const client = await newClient();
      const res = await peelProvider.query(`query($id: ID!) { client(id: $id) { ${CLIENT} } }`, {
        id: client.id,
      });
      expect(res.data.client).toMatchObject({
        id: client.id,
        givenName: 'Avery',
        catchment: { id: 'peel' },
        servingProvider: { id: 'sp-peel-1' },
        equity: { indigenous: 'NO', francophone: 'PREFER_NOT_TO_ANSWER', youth: false },
        version: 1,
      });
      expect(client.id).toMatch(/^cl-[0-9a-f]{20}$/);
    });

    it('refuses a second client with the same CaMS reference, a provider acting for another, and bad input', async () => {
      const client = await newClient();
      const again = await register(peelProvider, { camsReference: client.camsReference });
      expect(again.data.registerClient.error.code).toBe('CONFLICT');
      const other = await register(peelProvider, { providerId: 'sp-peel-2' });
      expect(other.data.registerClient.error.code).toBe('FORBIDDEN');
      const noSite = await register(h.ministry, { catchmentId: 'york' });
      expect(noSite.data.registerClient.error).toMatchObject({
        code: 'RULE_VIOLATION',
        field: 'input.providerId',
      });
      const control = await register(peelProvider, { givenName: 'Ava\u0000ry' });
      expect(control.data.registerClient.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'input.givenName',
      });
      const future = await register(peelProvider, { birthDate: addDays(todayInOntario(), 1) });
      expect(future.data.registerClient.error.code).toBe('VALIDATION_FAILED');
      const hostile = await register(peelProvider, { camsReference: { $gt: '' } });
      expect(hostile.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('lets no partner or anonymous caller register, list or look up clients', async () => {
      const client = await newClient();
      for (const who of [h.partner, h.anonymous]) {
        const reg = await register(who);
        expect(reg.data.registerClient.error.code).toBe('FORBIDDEN');
        const list = await who.query(`{ clients { totalCount } }`);
        expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        const one = await who.query(`query($id: ID!) { client(id: $id) { id } }`, { id: client.id });
        expect(one.data.client).toBeNull();
        const byRef = await who.query(
          `query($r: String!) { clientByCamsReference(camsReference: $r) { id } }`,
          {
            r: client.camsReference,
          },
        );
        expect(byRef.data.clientByCamsReference).toBeNull();
      }
    });
  });

  it('answers a NUL in a lookup with BAD_USER_INPUT, never an internal error', async () => {
    const summary = await h.anonymous.query(
      `query($ids: [ID!]) { actionPlanSummary(filter: { catchmentIds: $ids }) { started { value } } }`,
      { ids: ['peel\u0000'] },
    );
    expect(summary.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const lookup = await h.ministry.query(`query($id: ID!) { client(id: $id) { id } }`, { id: 'cl-\u0000' });
    expect(lookup.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(lookup)).not.toMatch(/postgres|Unicode escape|\.go:/i);
  });

  describe('action plans', () => {
    it('requires a Common Assessment from IES delivery, and not before it', async () => {
      const client = await newClient();
      const without = await start(peelProvider, client.id, { assessment: null });
      expect(without.data.startActionPlan.error.code).toBe('RULE_VIOLATION');
      expect(await h.models.plans.countDocuments({ clientId: client.id })).toBe(0);
      // London enters IES delivery on 2024-01-01: a plan in its transition may start unassessed.
      const london = await newClient(h.ministry, {
        catchmentId: 'london',
        providerId: 'sp-london-indigenous',
      });
      const early = await start(h.ministry, london.id, {
        catchmentId: 'london',
        providerId: 'sp-london-indigenous',
        assessment: null,
        startedOn: '2023-06-01',
      });
      expect(early.data.startActionPlan.error).toBeNull();
      expect(early.data.startActionPlan.actionPlan).toMatchObject({
        assessment: null,
        sequence: 1,
        status: 'ACTIVE',
      });
    });

    it('lets exactly one of ten simultaneous starts for one client win; the others get CONFLICT', async () => {
      const client = await newClient();
      const results = await Promise.all(Array.from({ length: 10 }, () => start(peelProvider, client.id)));
      const payloads = results.map((r) => r.data.startActionPlan);
      expect(payloads.filter((p) => p.ok)).toHaveLength(1);
      expect(payloads.filter((p) => !p.ok).map((p) => p.error.code)).toEqual(Array(9).fill('CONFLICT'));
      expect(await h.models.plans.countDocuments({ clientId: client.id })).toBe(1);
      const active = await peelProvider.query(
        `query($id: ID!) { client(id: $id) { activeActionPlan { id } actionPlans { id } } }`,
        {
          id: client.id,
        },
      );
      expect(active.data.client.actionPlans).toHaveLength(1);
    });

    it('starts a second plan only after the first is closed, and a closed plan is read-only', async () => {
      const client = await newClient();
      const first = (await start(peelProvider, client.id)).data.startActionPlan.actionPlan;
      const second = await start(peelProvider, client.id);
      expect(second.data.startActionPlan.error.code).toBe('CONFLICT');
      const close = await peelProvider.query(
        `mutation($input: CloseActionPlanInput!) { closeActionPlan(input: $input) { ${ERROR} actionPlan { status closedOn closingReason version } } }`,
        {
          input: {
            planId: first.id,
            closedOn: '2024-09-30',
            closingReason: 'EMPLOYED',
            reason: 'Client found work',
          },
        },
      );
      expect(close.data.closeActionPlan.actionPlan).toMatchObject({
        status: 'CLOSED',
        closingReason: 'EMPLOYED',
        version: 2,
      });
      // The close's change-log record carries its event (ids only: the reason stays behind the API).
      expect(await eventsOf(first.id, 2)).toEqual([
        {
          type: 'ActionPlanClosed',
          catchmentId: 'peel',
          subject: { typename: 'EmploymentActionPlan', id: first.id },
          data: { providerId: 'sp-peel-1', clientId: client.id },
        },
      ]);
      const update = await peelProvider.query(
        `mutation($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { ${ERROR} } }`,
        { input: { planId: first.id, leadCaseworker: 'J. Doe', reason: 'Reassign' } },
      );
      expect(update.data.updateActionPlan.error.code).toBe('RULE_VIOLATION');
      const closeAgain = await peelProvider.query(
        `mutation($input: CloseActionPlanInput!) { closeActionPlan(input: $input) { ${ERROR} } }`,
        { input: { planId: first.id, closedOn: '2024-10-30', closingReason: 'OTHER', reason: 'again' } },
      );
      expect(closeAgain.data.closeActionPlan.error.code).toBe('RULE_VIOLATION');
      const next = await start(peelProvider, client.id, {
        startedOn: '2024-11-01',
        assessment: { stream: 'B', assessedOn: '2024-10-20' },
      });
      expect(next.data.startActionPlan.actionPlan).toMatchObject({ sequence: 2, status: 'ACTIVE' });
    });

    it('updates the goal tree, refers out to a program and records jobs through the change log', async () => {
      const client = await newClient();
      const plan = (await start(peelProvider, client.id)).data.startActionPlan.actionPlan;
      const goal = await peelProvider.query(
        `mutation($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { ${ERROR} actionPlan { version leadCaseworker reviewDates goal { description subGoals { description items { id service provider { id } status } } } } } }`,
        {
          input: {
            planId: plan.id,
            leadCaseworker: 'R. Singh',
            reviewDates: ['2024-08-01', '2024-06-01'],
            goal: {
              description: 'Full-time work in logistics',
              subGoals: [
                {
                  description: 'Forklift certification',
                  items: [
                    {
                      service: 'Job-specific training',
                      providerId: 'sp-peel-2',
                      startDate: '2024-05-20',
                      status: 'PLANNED',
                    },
                  ],
                },
              ],
            },
            reason: 'First planning session',
          },
        },
      );
      expect(goal.data.updateActionPlan.actionPlan).toMatchObject({
        version: 2,
        leadCaseworker: 'R. Singh',
        reviewDates: ['2024-06-01', '2024-08-01'],
        goal: { subGoals: [{ items: [{ provider: { id: 'sp-peel-2' }, status: 'PLANNED' }] }] },
      });
      const programs = await h.contracts.ministry.query(`{ programs(scope: OUT_OF_SCOPE) { id } }`);
      const programId = programs.body.data!.programs[0].id;
      const referral = await peelProvider.query(
        `mutation($input: AddReferralOutInput!) { addReferralOut(input: $input) { ${ERROR} actionPlan { referralsOut { program { id } referredOn } } } }`,
        { input: { planId: plan.id, programId, referredOn: '2024-06-02', reason: 'Needs literacy support' } },
      );
      expect(referral.data.addReferralOut.actionPlan.referralsOut).toEqual([
        { program: { id: programId }, referredOn: '2024-06-02' },
      ]);
      const unknown = await peelProvider.query(
        `mutation($input: AddReferralOutInput!) { addReferralOut(input: $input) { ${ERROR} } }`,
        { input: { planId: plan.id, programId: 'no-such-program', referredOn: '2024-06-02', reason: 'x' } },
      );
      expect(unknown.data.addReferralOut.error.code).toBe('NOT_FOUND');
      const history = await h.models.changeLog.countDocuments({ subject: `EmploymentActionPlan:${plan.id}` });
      expect(history).toBe(3);
    });

    it('verifies checkpoints with the funded-outcome rule', async () => {
      const client = await newClient();
      const plan = (await start(peelProvider, client.id)).data.startActionPlan.actionPlan;
      const job = await peelProvider.query(
        `mutation($input: RecordJobInput!) { recordJob(input: $input) { ${ERROR} } }`,
        {
          input: {
            planId: plan.id,
            job: {
              employer: 'Synthetic Logistics Inc.',
              startedOn: '2024-07-02',
              hoursPerWeek: 30,
              hourlyWageCents: 1800,
            },
            reason: 'Client started work',
          },
        },
      );
      expect(job.data.recordJob.error).toBeNull();
      const verify = (
        checkpoint: string,
        verifiedOn: string,
        evidence = 'PAY_STUB',
        attestationPreApproved = false,
      ) =>
        peelProvider.query(
          `mutation($input: VerifyCheckpointInput!) { verifyCheckpoint(input: $input) { ${ERROR} actionPlan { checkpoints { checkpoint dueOn fundedOutcome outcomeReasons } } } }`,
          {
            input: {
              planId: plan.id,
              checkpoint,
              verifiedOn,
              employed: true,
              evidence,
              attestationPreApproved,
              reason: 'Follow-up call',
            },
          },
        );
      const early = await verify('MONTH_1', '2024-07-20');
      expect(early.data.verifyCheckpoint.error).toMatchObject({
        code: 'RULE_VIOLATION',
        field: 'input.verifiedOn',
      });
      const month1 = await verify('MONTH_1', '2024-08-05');
      expect(month1.data.verifyCheckpoint.actionPlan.checkpoints).toEqual([
        { checkpoint: 'MONTH_1', dueOn: '2024-08-02', fundedOutcome: true, outcomeReasons: [] },
      ]);
      const attested = await verify('MONTH_3', '2024-10-05', 'ATTESTATION');
      expect(attested.data.verifyCheckpoint.actionPlan.checkpoints[1]).toMatchObject({
        fundedOutcome: false,
        outcomeReasons: ['ATTESTATION_NOT_PRE_APPROVED'],
      });
      // A funded outcome and an unfunded verification announce themselves apart.
      const verifications = (
        await h.models.changeLog
          .find({
            subjectId: plan.id,
            'events.type': { $in: ['FundedOutcomeVerified', 'CheckpointVerified'] },
          })
          .lean()
      ).flatMap((record) => record.events.map((e) => ({ type: e.type, data: e.data })));
      expect(verifications).toEqual(
        expect.arrayContaining([
          { type: 'FundedOutcomeVerified', data: expect.objectContaining({ checkpoint: 'MONTH_1' }) },
          {
            type: 'CheckpointVerified',
            data: expect.objectContaining({ checkpoint: 'MONTH_3', funded: false }),
          },
        ]),
      );
      expect(verifications).toHaveLength(2);
      const twice = await verify('MONTH_1', '2024-08-06');
      expect(twice.data.verifyCheckpoint.error.code).toBe('CONFLICT');
      // A provider cannot pre-approve its own attestation; the catchment's SSM can.
      const selfApproved = await verify('MONTH_6', '2025-01-05', 'ATTESTATION', true);
      expect(selfApproved.data.verifyCheckpoint.error).toMatchObject({
        code: 'FORBIDDEN',
        field: 'input.attestationPreApproved',
      });
      const approved = await h
        .ssmOf('peel')
        .query(
          `mutation($input: VerifyCheckpointInput!) { verifyCheckpoint(input: $input) { ${ERROR} actionPlan { checkpoints { checkpoint fundedOutcome } } } }`,
          {
            input: {
              planId: plan.id,
              checkpoint: 'MONTH_6',
              verifiedOn: '2025-01-05',
              employed: true,
              evidence: 'ATTESTATION',
              attestationPreApproved: true,
              reason: 'SSM pre-approved the attestation',
            },
          },
        );
      expect(approved.data.verifyCheckpoint.actionPlan.checkpoints[2]).toEqual({
        checkpoint: 'MONTH_6',
        fundedOutcome: true,
      });
    });
  });

  describe('access, role by role', () => {
    let planId: string;
    let clientId: string;

    beforeAll(async () => {
      const client = await newClient();
      clientId = client.id;
      planId = (await start(peelProvider, client.id)).data.startActionPlan.actionPlan.id;
    });

    it('shows a plan to its provider, the SSM of its catchment and the ministry only', async () => {
      const read = (who: Who) => who.query(`query($id: ID!) { actionPlan(id: $id) { id } }`, { id: planId });
      for (const who of [peelProvider, h.ssmOf('peel'), h.ministry]) {
        expect((await read(who)).data.actionPlan).toEqual({ id: planId });
      }
      for (const who of [h.provider('sp-peel-2'), h.ssmOf('york'), h.partner, h.anonymous]) {
        expect((await read(who)).data.actionPlan).toBeNull();
      }
    });

    it('resolves _entities of another provider’s plan to null, and another provider’s client to FORBIDDEN fields', async () => {
      const other = h.provider('sp-peel-2');
      const plans = await other.query(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on EmploymentActionPlan { id camsReference } } }`,
        { r: [{ __typename: 'EmploymentActionPlan', id: planId }] },
      );
      expect(plans.data._entities).toEqual([null]);
      const clients = await other.query(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Client { id givenName } } }`,
        { r: [{ __typename: 'Client', id: clientId }] },
      );
      expect(clients.data._entities[0]).toBeNull();
      expect(clients.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const own = await peelProvider.query(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Client { id givenName } } }`,
        { r: [{ __typename: 'Client', id: clientId }] },
      );
      expect(own.data._entities).toEqual([{ id: clientId, givenName: 'Avery' }]);
    });

    it('refuses a change to an out-of-scope plan exactly as to an unknown one, and changes nothing', async () => {
      const close = (who: Who, id: string) =>
        who.query(`mutation($input: CloseActionPlanInput!) { closeActionPlan(input: $input) { ${ERROR} } }`, {
          input: { planId: id, closedOn: '2024-09-30', closingReason: 'OTHER', reason: 'Attempt' },
        });
      const outOfScope = await close(h.provider('sp-peel-2'), planId);
      const unknown = await close(h.provider('sp-peel-2'), 'ap-0000000000-1');
      expect(outOfScope.data.closeActionPlan.error).toEqual({
        ...unknown.data.closeActionPlan.error,
        message: unknown.data.closeActionPlan.error.message.replace('ap-0000000000-1', planId),
      });
      expect(outOfScope.data.closeActionPlan.error.code).toBe('NOT_FOUND');
      const ssmElsewhere = await close(h.ssmOf('york'), planId);
      expect(ssmElsewhere.data.closeActionPlan.error.code).toBe('NOT_FOUND');
      const anonymous = await close(h.anonymous, planId);
      expect(anonymous.data.closeActionPlan.error.code).toBe('FORBIDDEN');
      expect((await h.models.plans.findById(planId).lean())!.status).toBe('ACTIVE');
    });

    it('lists a provider’s plans on ServiceProvider to that provider and refuses anonymous callers', async () => {
      const rep = (who: Who) =>
        who.query(
          `query($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceProvider { actionPlans(first: 100) { totalCount edges { node { id servingProvider { id } } } } } } }`,
          { r: [{ __typename: 'ServiceProvider', id: 'sp-peel-1' }] },
        );
      const own = await rep(peelProvider);
      const nodes = own.data._entities[0].actionPlans.edges.map((e: any) => e.node);
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes.every((n: any) => n.servingProvider.id === 'sp-peel-1')).toBe(true);
      const other = await rep(h.provider('sp-peel-2'));
      expect(
        other.data._entities[0].actionPlans.edges.every(
          (e: any) => e.node.servingProvider.id === 'sp-peel-2',
        ),
      ).toBe(true);
      const anonymous = await rep(h.anonymous);
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('entity resolution', () => {
    it('batches plan and client entities: one lookup per type per request', async () => {
      const plans: string[] = [];
      for (let i = 0; i < 3; i++) {
        const client = await newClient();
        plans.push((await start(peelProvider, client.id)).data.startActionPlan.actionPlan.id);
      }
      await h.refreshSizes();
      const counter = h.commands;
      counter.reset();
      const res = await h.ministry.query(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on EmploymentActionPlan { id client { id givenName } } } }`,
        { r: plans.map((id) => ({ __typename: 'EmploymentActionPlan', id })) },
      );
      expect(res.data._entities.map((e: any) => e.id)).toEqual(plans);
      const { lookupsFor } = await import('@ies/testkit');
      expect(counter.count('find', 'action_plans')).toBe(await lookupsFor(h.models.plans, 3));
      expect(counter.count('find', 'clients')).toBe(await lookupsFor(h.models.clients, 3));
    });
  });
});
