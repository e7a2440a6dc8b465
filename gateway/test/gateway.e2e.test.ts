import { graphqlRequest } from '@ies/testkit';
import { healthWhen } from './gateway-harness';
import { startStack, type Stack } from './stack-harness';

describe('Gateway end to end (gateway and catchments as processes over HTTP)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('gateway_e2e');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const query = (q: string, options: Parameters<typeof graphqlRequest>[2] = {}) =>
    graphqlRequest(stack.graphqlUrl, q, options);

  describe('for an anonymous caller', () => {
    it('serves the seeded public catchment information', async () => {
      const { status, body } = await query(
        `{ catchmentAreas(first: 100, filter: { phases: [PHASE_3] }) { totalCount edges { node { id name serviceSystemManager { id } period(asOf: "2026-01-01") notes } } } }`,
      );
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data!.catchmentAreas.totalCount).toBe(3);
      expect(body.data!.catchmentAreas.edges.map((e: any) => e.node.name)).toEqual([
        'Northeast / Nord-Est',
        'Northwest / Nord-Ouest',
        'Toronto',
      ]);
      for (const edge of body.data!.catchmentAreas.edges) {
        expect(edge.node.serviceSystemManager).toBeNull();
        expect(edge.node.period).toBe('NOT_STARTED');
        expect(edge.node.notes.join(' ')).toMatch(/on-reserve are exempt/);
      }
    });

    it('is refused the change history and any change', async () => {
      const history = await query(`{ catchmentArea(id: "peel") { name changeHistory { reason } } }`);
      expect(history.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(history.body.data).toEqual({ catchmentArea: { name: 'Peel', changeHistory: null } });
      const change = await query(
        `mutation { setCatchmentPeriodDates(input: { catchmentId: "toronto", planningStartDate: "2026-01-01", reason: "x" }) { ok error { code } } }`,
      );
      expect(change.body.data!.setCatchmentPeriodDates).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    });
  });

  describe('for the ministry', () => {
    // A stack of its own: these changes would otherwise show in the anonymous caller's view above.
    let ownStack: Stack;
    const query = (q: string, options: Parameters<typeof graphqlRequest>[2] = {}) =>
      graphqlRequest(ownStack.graphqlUrl, q, options);
    beforeAll(async () => {
      ownStack = await startStack('gateway_e2e_ministry');
    });
    afterAll(async () => {
      await ownStack?.stop();
    });

    it('assigns an SSM and dates a TBA catchment, recording who, when and why', async () => {
      const token = await ownStack.auth.token('MINISTRY', { subject: 'ministry-analyst-7' });
      const assigned = await query(
        `mutation { assignServiceSystemManager(input: { catchmentId: "northwest", serviceSystemManagerId: "serco-canada", reason: "Phase 3 award" }) { ok catchmentArea { serviceSystemManager { organizationName catchments { id } } } error { code } } }`,
        { token },
      );
      expect(assigned.body.data!.assignServiceSystemManager.ok).toBe(true);
      expect(
        assigned.body.data!.assignServiceSystemManager.catchmentArea.serviceSystemManager.catchments.map(
          (c: any) => c.id,
        ),
      ).toContain('northwest');
      const dated = await query(
        `mutation($input: SetCatchmentPeriodDatesInput!) { setCatchmentPeriodDates(input: $input) { ok catchmentArea { period(asOf: "2026-06-01") changeHistory { bySubject byRole reason kind before after } } } }`,
        {
          token,
          variables: {
            input: {
              catchmentId: 'northwest',
              planningStartDate: '2026-04-01',
              transitionStartDate: '2026-09-01',
              iesDeliveryStartDate: '2027-04-01',
              reason: 'Phase 3 schedule announced',
            },
          },
        },
      );
      const payload = dated.body.data!.setCatchmentPeriodDates;
      expect(payload.ok).toBe(true);
      expect(payload.catchmentArea.period).toBe('PLANNING');
      // The history starts with the catchment's creation (the seed), then every change in order.
      expect(payload.catchmentArea.changeHistory.map((c: { kind: string }) => c.kind)).toEqual([
        'CREATE',
        'ASSIGN_SERVICE_SYSTEM_MANAGER',
        'SET_PERIOD_DATES',
      ]);
      expect(payload.catchmentArea.changeHistory[2]).toMatchObject({
        bySubject: 'ministry-analyst-7',
        byRole: 'MINISTRY',
        reason: 'Phase 3 schedule announced',
        kind: 'SET_PERIOD_DATES',
      });
      expect(JSON.parse(payload.catchmentArea.changeHistory[2].before)).toEqual({
        planningStartDate: null,
        transitionStartDate: null,
        iesDeliveryStartDate: null,
      });
    });

    it('gets a typed validation error for dates out of order, and nothing changes', async () => {
      const token = await ownStack.auth.token('MINISTRY');
      const before = await query(
        `{ catchmentArea(id: "durham") { planningStartDate transitionStartDate iesDeliveryStartDate changeHistory { id } } }`,
        { token },
      );
      const refused = await query(
        `mutation { setCatchmentPeriodDates(input: { catchmentId: "durham", planningStartDate: "2023-06-01", transitionStartDate: "2023-05-01", iesDeliveryStartDate: "2024-01-01", reason: "typo" }) { ok catchmentArea { id } error { code message field } } }`,
        { token },
      );
      expect(refused.body.data!.setCatchmentPeriodDates).toEqual({
        ok: false,
        catchmentArea: null,
        error: {
          code: 'VALIDATION_FAILED',
          message:
            'The transition start date (2023-05-01) must not be before the planning start date (2023-06-01)',
          field: 'input.transitionStartDate',
        },
      });
      const after = await query(
        `{ catchmentArea(id: "durham") { planningStartDate transitionStartDate iesDeliveryStartDate changeHistory { id } } }`,
        { token },
      );
      expect(after.body.data).toEqual(before.body.data);
    });

    it('adds and then renames a service delivery zone', async () => {
      const token = await ownStack.auth.token('MINISTRY');
      const added = await query(
        `mutation { saveServiceDeliveryZone(input: { catchmentId: "northeast", name: "James Bay Coast", communities: ["Moosonee", "Moose Factory"], reason: "Protect in-person access" }) { ok catchmentArea { serviceDeliveryZones { id name communities } } } }`,
        { token },
      );
      const [zone] = added.body.data!.saveServiceDeliveryZone.catchmentArea.serviceDeliveryZones;
      expect(zone).toMatchObject({ name: 'James Bay Coast', communities: ['Moosonee', 'Moose Factory'] });
      const renamed = await query(
        `mutation($id: ID!) { saveServiceDeliveryZone(input: { catchmentId: "northeast", zoneId: $id, name: "James Bay Lowlands", communities: ["Moosonee"], reason: "Rename" }) { ok catchmentArea { serviceDeliveryZones { id name } } } }`,
        { token, variables: { id: zone.id } },
      );
      expect(renamed.body.data!.saveServiceDeliveryZone.catchmentArea.serviceDeliveryZones).toEqual([
        { id: zone.id, name: 'James Bay Lowlands' },
      ]);
    });
  });

  describe('for an SSM', () => {
    it('reads its own catchment history but changes nothing', async () => {
      const token = await stack.auth.token('SSM', { catchmentIds: ['peel'] });
      const own = await query(`{ catchmentArea(id: "peel") { changeHistory { id } } }`, { token });
      expect(own.body.errors).toBeUndefined();
      const other = await query(`{ catchmentArea(id: "york") { changeHistory { id } } }`, { token });
      expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const change = await query(
        `mutation { assignServiceSystemManager(input: { catchmentId: "peel", serviceSystemManagerId: "fedcap-canada", reason: "takeover" }) { ok error { code message } } }`,
        { token },
      );
      expect(change.body.data!.assignServiceSystemManager).toEqual({
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: 'Only the ministry may assign a service system manager; caller is SSM',
        },
      });
    });
  });

  describe('bad input', () => {
    it('refuses an invalid token with 401 UNAUTHENTICATED', async () => {
      const { status, body } = await query(`{ catchmentAreas { totalCount } }`, { token: 'not.a.jwt' });
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a correctly signed token without exp, issued in the future, or living too long', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const times of [
        { issuedAt: now, expiresAt: null },
        { issuedAt: now + 24 * 3600, expiresAt: now + 25 * 3600 },
        { issuedAt: now, expiresAt: now + 365 * 24 * 3600 },
      ]) {
        const token = await stack.auth.token('MINISTRY', {}, times);
        const { status, body } = await query(`{ catchmentAreas { totalCount } }`, { token });
        expect(status).toBe(401);
        expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
    });

    it('answers malformed GraphQL with GRAPHQL_PARSE_FAILED', async () => {
      const { status, body } = await query(`{ catchmentAreas( { totalCount }`);
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('refuses an impossible date with BAD_USER_INPUT', async () => {
      const { body } = await query(`query($d: Date) { catchmentArea(id: "peel") { period(asOf: $d) } }`, {
        variables: { d: '2024-02-30' },
      });
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('refuses operations nested beyond the depth limit', async () => {
      const deep = `{ catchmentArea(id: "peel") { ${'serviceSystemManager { catchments { '.repeat(7)}id${' } }'.repeat(7)} } }`;
      const { status, body } = await query(deep);
      expect(status).toBe(400);
      expect(body.errors?.[0]?.message).toMatch(/levels deep; the limit is 12/);
    });
  });

  describe('request ids', () => {
    it('takes the caller’s request id, returns it, and the subgraph logs it', async () => {
      const { headers } = await query(`{ catchmentArea(id: "london") { name } }`, {
        headers: { 'x-request-id': 'e2e-req-42' },
      });
      expect(headers.get('x-request-id')).toBe('e2e-req-42');
      const logged = (line: Record<string, unknown>) =>
        line.requestId === 'e2e-req-42' && line.msg === 'graphql request';
      expect(await stack.catchments.waitForLog(logged)).toMatchObject({
        service: 'catchments',
        requestId: 'e2e-req-42',
      });
      expect(await stack.gateway.waitForLog(logged)).toMatchObject({
        service: 'gateway',
        requestId: 'e2e-req-42',
      });
    });

    it('generates one when the caller sends none', async () => {
      const { headers } = await query(`{ catchmentArea(id: "london") { name } }`);
      expect(headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('direct calls to a subgraph', () => {
    it('are refused without the gateway signature', async () => {
      const { status, body } = await graphqlRequest(
        `${stack.catchments.url}/graphql`,
        `{ catchmentAreas { totalCount } }`,
      );
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('health', () => {
    it('is live and ready, and reports every subgraph ready', async () => {
      expect((await fetch(`${stack.gateway.url}/health/live`)).status).toBe(200);
      const everySubgraph = {
        catchments: 'ready',
        contracts: 'ready',
        clients: 'ready',
        disputes: 'ready',
        webhooks: 'ready',
      };
      // Reported from the background poller's last round (its first may still be under way).
      await healthWhen(stack.gateway.url, (body) => body.status === 'ok' && body.redis === 'ready');
      const ready = await fetch(`${stack.gateway.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'ready',
        service: 'gateway',
        subgraphs: everySubgraph,
        redis: 'ready',
      });
      const subgraphs = await fetch(`${stack.gateway.url}/health/subgraphs`);
      expect(subgraphs.status).toBe(200);
      expect(await subgraphs.json()).toEqual({
        status: 'ok',
        service: 'gateway',
        subgraphs: everySubgraph,
        redis: 'ready',
      });
      expect((await fetch(`${stack.catchments.url}/health/ready`)).status).toBe(200);
    });
  });
});
