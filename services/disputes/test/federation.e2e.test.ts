import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestAuth } from '@ies/testkit';
import { todayInOntario } from '@ies/calendar';
import { DEFAULT_SLA_POLICY, slaDueDates } from '../src/dispute/dispute-sla';
import { startDisputes, type DisputesHarness } from './disputes-harness';
import { startGateway } from './gateway-harness';

/**
 * Through a real Apollo Gateway over the catchments, contracts and disputes subgraphs (in-process, on
 * ports the OS chose, a supergraph composed from their SDL): the fields this subgraph adds to other
 * subgraphs' entities, and theirs on disputes, resolve together, scoped by the caller's token.
 */
describe('Disputes through the gateway', () => {
  let h: DisputesHarness;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let auth: TestAuth;

  beforeAll(async () => {
    h = await startDisputes('disputes_e2e');
    gateway = await startGateway(h, 'disputes_e2e');
    auth = gateway.auth;
  });
  afterAll(async () => {
    await gateway?.stop();
    await h.stop();
  });

  const ask = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const { status, body } = await gateway.request(query, { variables, token });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return body.data!;
  };

  it('shows anyone a catchment with its published dispute process and its small counts withheld', async () => {
    const data =
      await ask(`{ catchmentArea(id: "london") { name serviceSystemManager { organizationName disputeSlaPolicy { inForce { acknowledgeWithinBusinessDays } } }
      disputeProcess { howToFile languages responseTimes { acknowledgeWithinBusinessDays resolveWithinBusinessDays } escalationContacts { level email } }
      disputeSummary { opened { value suppressed reason } } } }`);
    expect(data.catchmentArea).toMatchObject({
      name: 'London',
      serviceSystemManager: {
        organizationName: 'City of London',
        disputeSlaPolicy: { inForce: { acknowledgeWithinBusinessDays: 5 } },
      },
      disputeProcess: {
        languages: ['English', 'Français'],
        responseTimes: { acknowledgeWithinBusinessDays: 5, resolveWithinBusinessDays: 25 },
        escalationContacts: [
          { level: 'SSM', email: 'disputes@city-of-london.example.ca' },
          { level: 'MINISTRY', email: 'es-disputes@ontario.example.ca' },
        ],
      },
      disputeSummary: { opened: { value: null, suppressed: true } },
    });
  });

  it('lets a provider open a dispute and read it with its provider, catchment and SSM from the other subgraphs', async () => {
    const token = await auth.token('PROVIDER', { subject: 'staff-1', providerIds: ['sp-durham-1'] });
    const opened = await ask(
      `mutation($input: OpenDisputeInput!) { openDispute(input: $input) { ok error { code message } dispute { id reference } } }`,
      {
        input: {
          kind: 'CLIENT',
          catchmentId: 'durham',
          clientId: 'client-e2e',
          providerId: 'sp-durham-1',
          category: 'LANGUAGE_SERVICES',
          description: 'No interpreter at the assessment',
        },
      },
      token,
    );
    expect(opened.openDispute).toMatchObject({ ok: true, error: null });
    const reference = opened.openDispute.dispute.reference as string;
    const { dispute } = await ask(
      `query($id: ID!) { dispute(id: $id) { reference escalationLevel provider { organizationName } catchment { name period }
        serviceSystemManager { organizationName } category { label } sla { acknowledgeBy } } }`,
      { id: opened.openDispute.dispute.id },
      token,
    );
    expect(dispute).toMatchObject({
      reference,
      escalationLevel: 'PROVIDER',
      provider: { organizationName: expect.stringContaining('(synthetic)') },
      catchment: { name: 'Durham', period: 'IES_DELIVERY' },
      serviceSystemManager: { organizationName: 'Region of Durham' },
      category: { label: 'Language services' },
      sla: { acknowledgeBy: slaDueDates(todayInOntario(), DEFAULT_SLA_POLICY).acknowledgeBy },
    });

    const ssm = await auth.token('SSM', { subject: 'ssm-durham', catchmentIds: ['durham'] });
    const network = await ask(
      `{ serviceProvider(id: "sp-durham-1") { organizationName disputes { totalCount edges { node { reference status } } } } }`,
      {},
      ssm,
    );
    expect(network.serviceProvider.disputes.edges).toContainEqual({
      node: { reference, status: 'OPENED' },
    });

    const other = await auth.token('PROVIDER', { subject: 'staff-2', providerIds: ['sp-durham-2'] });
    const hidden = await ask(
      `query($id: ID!) { dispute(id: $id) { reference } }`,
      { id: opened.openDispute.dispute.id },
      other,
    );
    expect(hidden.dispute).toBeNull();
    const anonymous = await ask(
      `{ serviceProvider(id: "sp-durham-1") { organizationName disputes { totalCount } } }`,
    );
    expect(anonymous.serviceProvider.disputes.totalCount).toBe(0);
  });

  it("runs every operation of the API guide's Disputes section as documented", async () => {
    const guide = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'api-guide.md'), 'utf8');
    const section = guide.slice(guide.indexOf('## Disputes'));
    const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const run = async (operationName: string, token?: string, variables: Record<string, unknown> = {}) => {
      const block = blocks.find((b) => new RegExp(`(query|mutation) ${operationName}\\b`).test(b));
      expect(block).toBeDefined();
      const { status, body } = await gateway.request(block!, { operationName, token, variables });
      expect({ operationName, errors: body.errors }).toEqual({ operationName, errors: undefined });
      expect(status).toBe(200);
      return body.data!;
    };
    const provider = await auth.token('PROVIDER', {
      subject: 'staff-durham-1',
      providerIds: ['sp-durham-1'],
    });
    const ssm = await auth.token('SSM', { subject: 'ssm-durham', catchmentIds: ['durham'] });
    const ministry = await auth.token('MINISTRY', { subject: 'ministry-officer' });
    expect((await run('DisputeProcess')).catchmentArea.disputeProcess.languages).toEqual([
      'English',
      'Français',
    ]);
    const opened = (await run('Open', provider)).openDispute.dispute;
    const id = opened.id;
    expect((await run('Handle', provider, { id })).acknowledgeDispute.dispute.status).toBe('ACKNOWLEDGED');
    expect((await run('Resolve', provider, { id })).resolveDispute.dispute.status).toBe('RESOLVED');
    expect((await run('Reopen', provider, { id })).reopenDispute.dispute.reference).toBe(
      `${opened.reference}-R1`,
    );
    expect((await run('Dispute', ssm, { id })).dispute.sla.breaches).toEqual([]);
    await run('ProviderDisputes', ssm);
    expect((await run('Configure', ministry)).publishDisputeProcess.ok).toBe(true);
    expect((await run('Figures')).disputeSummary.opened).toMatchObject({ value: null, suppressed: true });
    expect((await run('Figures', ministry)).disputeSummary.opened).toMatchObject({ suppressed: false });
  });
});
