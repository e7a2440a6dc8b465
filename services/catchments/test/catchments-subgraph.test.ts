import { lookupsFor, principalOf, graphqlRequest } from '@ies/testkit';
import { CATCHMENTS } from '../src/seed/catchment-seed';
import { seedCatchments } from '../src/seed/seed-catchments';
import { periodOn } from '@ies/calendar';
import { PRINCIPAL_HEADER, signPrincipalHeader } from '@ies/auth';
import { startCatchments } from './catchments-harness';

describe('Catchments subgraph against FerretDB', () => {
  let subgraph: Awaited<ReturnType<typeof startCatchments>>;
  const ministry = () => subgraph.as(subgraph.ministry);

  beforeAll(async () => {
    subgraph = await startCatchments('catchments_subgraph');
  });
  afterAll(async () => {
    await subgraph.stop();
  });

  const ids = (body: any, field = 'catchmentAreas') => body.data[field].edges.map((e: any) => e.node.id);

  describe('seed data', () => {
    it('holds the 15 catchments with their SSMs, and a second seed changes nothing', async () => {
      const again = await seedCatchments(subgraph.connection);
      expect(again).toEqual({ catchmentsInserted: 0, managersInserted: 0 });
      const { body } = await ministry().query(
        `{ catchmentAreas(first: 100) { totalCount edges { node { id name phase serviceSystemManager { organizationName } } } } }`,
      );
      expect(body.data!.catchmentAreas.totalCount).toBe(15);
      const peel = body.data!.catchmentAreas.edges.find((e: any) => e.node.id === 'peel').node;
      expect(peel).toEqual({
        id: 'peel',
        name: 'Peel',
        phase: 'PROTOTYPE',
        serviceSystemManager: { organizationName: 'WCG INTERNATIONAL CONSULTANTS LTD' },
      });
      const toronto = body.data!.catchmentAreas.edges.find((e: any) => e.node.id === 'toronto').node;
      expect(toronto.serviceSystemManager).toBeNull();
      expect(body.data!.catchmentAreas.edges.map((e: any) => e.node.name)).toContain(
        'Hamilton–Niagara Peninsula',
      );
    });
  });

  describe('listing', () => {
    it('pages through every catchment exactly once with cursors', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 4; page++) {
        const { body }: any = await ministry().query(
          `query($after: String) { catchmentAreas(first: 6, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        seen.push(...ids(body));
        after = body.data.catchmentAreas.pageInfo.endCursor;
        if (!body.data.catchmentAreas.pageInfo.hasNextPage) break;
      }
      expect(seen).toHaveLength(15);
      expect(new Set(seen).size).toBe(15);
      expect([...seen].sort()).toEqual(seen);
    });

    it('refuses a page size out of range and a forged cursor with BAD_USER_INPUT', async () => {
      const tooMany = await ministry().query(`{ catchmentAreas(first: 1000) { totalCount } }`);
      expect(tooMany.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      const forged = await ministry().query(`{ catchmentAreas(after: "{\\"$gt\\":\\"\\"}") { totalCount } }`);
      expect(forged.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });

    it('filters by phase, by SSM and by whether an SSM is assigned', async () => {
      const phase2 = await ministry().query(
        `{ catchmentAreas(filter: { phases: [PHASE_2] }) { totalCount edges { node { id } } } }`,
      );
      expect(ids(phase2.body)).toEqual([
        'durham',
        'kitchener-waterloo-barrie',
        'london',
        'ottawa',
        'windsor-sarnia',
      ]);
      const wcg = await ministry().query(
        `{ catchmentAreas(filter: { serviceSystemManagerId: "wcg-international-consultants-ltd" }) { edges { node { id } } } }`,
      );
      expect(ids(wcg.body)).toEqual(['ottawa', 'peel', 'york']);
      const tba = await ministry().query(
        `{ catchmentAreas(filter: { hasServiceSystemManager: false }) { edges { node { id } } } }`,
      );
      expect(ids(tba.body)).toEqual(['northeast', 'northwest', 'toronto']);
    });

    it('filters by period as of a date exactly as the period rule computes it', async () => {
      for (const asOf of [
        '2020-03-01',
        '2022-09-15',
        '2023-03-01',
        '2023-06-01',
        '2023-12-31',
        '2024-01-01',
      ]) {
        for (const period of ['NOT_STARTED', 'PLANNING', 'TRANSITION', 'IES_DELIVERY'] as const) {
          const { body } = await ministry().query(
            `query($period: CatchmentPeriod, $asOf: Date) { catchmentAreas(first: 100, filter: { period: $period, asOf: $asOf }) { edges { node { id period(asOf: $asOf) } } } }`,
            { period, asOf },
          );
          const expected = CATCHMENTS.filter((c) => periodOn(c, asOf) === period)
            .map((c) => c.id)
            .sort();
          expect({ asOf, period, ids: ids(body) }).toEqual({ asOf, period, ids: expected });
          expect(body.data!.catchmentAreas.edges.every((e: any) => e.node.period === period)).toBe(true);
        }
      }
    });

    it('rejects an impossible date in a filter before touching the database', async () => {
      const { body } = await ministry().query(
        `{ catchmentAreas(filter: { period: PLANNING, asOf: "2023-02-30" }) { totalCount } }`,
      );
      expect(body.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
      expect(body.data).toBeUndefined();
    });
  });

  describe('service system managers', () => {
    it('lists the catchments each SSM manages', async () => {
      const { body } = await ministry().query(
        `{ serviceSystemManager(id: "serco-canada") { organizationName organizationType catchments { id } } }`,
      );
      expect(body.data!.serviceSystemManager).toEqual({
        organizationName: 'Serco Canada',
        organizationType: 'PRIVATE',
        catchments: [{ id: 'kingston-pembroke' }, { id: 'kitchener-waterloo-barrie' }],
      });
    });
  });

  describe('entity resolution', () => {
    it('resolves N catchment references in one batch of indexed lookups', async () => {
      const representations = CATCHMENTS.slice(0, 10).map((c) => ({ __typename: 'CatchmentArea', id: c.id }));
      subgraph.commands.reset();
      const { body } = await ministry().query(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on CatchmentArea { id name } } }`,
        { r: representations },
      );
      expect(body.data!._entities).toHaveLength(10);
      expect(body.data!._entities.map((e: any) => e.id)).toEqual(representations.map((r) => r.id));
      expect(subgraph.commands.count('find', 'catchment_areas')).toBe(
        await lookupsFor(subgraph.models.catchments, 10),
      );
    });

    it('resolves N SSMs and their catchments in one batch of lookups each', async () => {
      const representations = ['fedcap-canada', 'serco-canada', 'city-of-london', 'no-such-ssm'].map(
        (id) => ({ __typename: 'ServiceSystemManager', id }),
      );
      subgraph.commands.reset();
      const { body } = await ministry().query(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceSystemManager { id catchments { id } } } }`,
        { r: representations },
      );
      expect(body.data!._entities[3]).toBeNull();
      expect(body.data!._entities[0].catchments.map((c: any) => c.id)).toEqual([
        'halton',
        'hamilton-niagara-peninsula',
      ]);
      expect(subgraph.commands.count('find', 'service_system_managers')).toBe(
        await lookupsFor(subgraph.models.managers, 4),
      );
      // Catchments of the three SSMs that exist.
      expect(subgraph.commands.count('find', 'catchment_areas')).toBe(
        await lookupsFor(subgraph.models.catchments, 3),
      );
    });
  });

  describe('a page of catchments', () => {
    it('is counted only when totalCount is selected', async () => {
      subgraph.commands.reset();
      const page = await ministry().query(`{ catchmentAreas(first: 5) { edges { node { id } } } }`);
      expect(page.body.data!.catchmentAreas.edges).toHaveLength(5);
      expect(subgraph.commands.count('aggregate', 'catchment_areas')).toBe(0);
      subgraph.commands.reset();
      const counted = await ministry().query(`{ catchmentAreas(first: 5) { totalCount } }`);
      expect(counted.body.data!.catchmentAreas.totalCount).toBe(15);
      expect(subgraph.commands.count('aggregate', 'catchment_areas')).toBe(1);
    });
  });

  describe('change histories', () => {
    it('are read for a whole page of catchments in one batch of indexed lookups', async () => {
      subgraph.commands.reset();
      const { body } = await ministry().query(
        `{ catchmentAreas(first: 15) { edges { node { id changeHistory { id kind reason } } } } }`,
      );
      expect(body.data!.catchmentAreas.edges).toHaveLength(15);
      expect(body.data!.catchmentAreas.edges[0].node.changeHistory[0]).toMatchObject({ kind: 'CREATE' });
      // One find for the page; the histories in one batch: one `$in` on MongoDB, one equality lookup per
      // catchment on FerretDB (which never serves `$in` from an index); one check for unprojected changes.
      expect(subgraph.commands.count('find', 'catchment_areas')).toBe(1);
      expect(subgraph.commands.count('find', 'change_log')).toBe(
        (await lookupsFor(subgraph.models.changeLog, 15)) + 1,
      );
    });
  });

  describe('names and free text', () => {
    const hostile = ['NUL\u0000Corp', '\u001b]0;pwned\u0007Corp', 'Line\nBreak Corp', 'Evil \u202eproC'];

    it.each(hostile.map((name) => [JSON.stringify(name), name]))(
      'refuses the organization name %s as VALIDATION_FAILED and registers nothing',
      async (_shown, organizationName) => {
        // Counted in total: PostgreSQL under FerretDB cannot even compare a string holding NUL.
        const before = await subgraph.models.managers.countDocuments({});
        const { body } = await ministry().query(
          `mutation($input: RegisterServiceSystemManagerInput!) { registerServiceSystemManager(input: $input) { ok error { code field } } }`,
          { input: { organizationName, organizationType: 'PRIVATE', reason: 'New SSM' } },
        );
        expect(body.data!.registerServiceSystemManager).toEqual({
          ok: false,
          error: { code: 'VALIDATION_FAILED', field: 'input.organizationName' },
        });
        expect(await subgraph.models.managers.countDocuments({})).toBe(before);
      },
    );

    it('refuses control characters in zone names, communities and reasons, and changes nothing', async () => {
      const save = (input: Record<string, unknown>) =>
        ministry().query(
          `mutation($input: SaveServiceDeliveryZoneInput!) { saveServiceDeliveryZone(input: $input) { ok error { code field } } }`,
          {
            input: {
              catchmentId: 'york',
              name: 'Zone',
              communities: ['Newmarket'],
              reason: 'Zones',
              ...input,
            },
          },
        );
      const before = (await subgraph.models.catchments.findById('york').lean())!.version;
      for (const [input, field] of [
        [{ name: 'Zone\u0000' }, 'input.name'],
        [{ communities: ['Newmarket', '\u001b[31mAurora'] }, 'input.communities'],
        [{ reason: 'Zones\u0000' }, 'input.reason'],
      ] as const) {
        const { body } = await save(input);
        expect(body.data!.saveServiceDeliveryZone).toEqual({
          ok: false,
          error: { code: 'VALIDATION_FAILED', field },
        });
      }
      expect((await subgraph.models.catchments.findById('york').lean())!.version).toBe(before);
    });
  });

  describe("ids outside the caller's scope", () => {
    it.each([
      [
        'assignServiceSystemManager',
        'AssignServiceSystemManagerInput',
        { serviceSystemManagerId: 'serco-canada' },
      ],
      ['setCatchmentPeriodDates', 'SetCatchmentPeriodDatesInput', { planningStartDate: '2030-01-01' }],
      ['saveServiceDeliveryZone', 'SaveServiceDeliveryZoneInput', { name: 'Zone', communities: ['A'] }],
    ])('answer %s by an SSM exactly as an unknown catchment id', async (mutation, inputType, fields) => {
      const ssm = subgraph.as(principalOf('SSM', { catchmentIds: ['york'] }));
      const attempt = (catchmentId: string) =>
        ssm.query(
          `mutation($input: ${inputType}!) { ${mutation}(input: $input) { ok error { code message field } } }`,
          {
            input: { catchmentId, reason: 'Out of scope', expectedVersion: 999, ...fields },
          },
        );
      const unknown = await attempt('no-such-catchment');
      expect(unknown.body.data![mutation]).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect((await attempt('peel')).body).toEqual(
        JSON.parse(JSON.stringify(unknown.body).replaceAll('no-such-catchment', 'peel')),
      );
    });
  });

  describe('direct calls', () => {
    it('refuses a request without the gateway signature', async () => {
      const { status, body } = await graphqlRequest(subgraph.url, `{ catchmentAreas { totalCount } }`);
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a request signed with another secret', async () => {
      const { subgraphRequest } = await import('@ies/testkit');
      const { status } = await subgraphRequest(subgraph.url, `{ catchmentAreas { totalCount } }`, {
        principal: principalOf('MINISTRY'),
        secret: 'not-the-gateway-secret-not-the-gateway-secret',
        audience: 'catchments',
      });
      expect(status).toBe(401);
    });

    const raw = async (body: string, headers: Record<string, string>) => {
      const requestId = crypto.randomUUID();
      const response = await fetch(subgraph.url, {
        method: 'POST',
        body,
        headers: {
          [PRINCIPAL_HEADER]: signPrincipalHeader(
            { principal: principalOf('MINISTRY'), requestId, audience: 'catchments', body },
            subgraph.secret,
          ),
          'x-request-id': requestId,
          ...headers,
        },
      });
      const text = await response.text();
      expect(text).not.toMatch(/<html|<pre>|node_modules|\/work\/|\bat [\w.<>]+ \(/i);
      return { status: response.status, body: JSON.parse(text) };
    };
    const json = { 'content-type': 'application/json' };

    it.each<[string, string, Record<string, string>, number, string]>([
      ['malformed JSON', '{"query": ', json, 400, 'BAD_REQUEST'],
      ['a JSON null body', 'null', json, 400, 'BAD_REQUEST'],
      ['a body over the limit', `{"query": "${' '.repeat(1_100_000)}"}`, json, 413, 'PAYLOAD_TOO_LARGE'],
      [
        'a content type other than JSON',
        '{ __typename }',
        { 'content-type': 'text/plain' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'an unsupported encoding',
        '{}',
        { ...json, 'content-encoding': 'compress' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
    ])('answers %s as GraphQL JSON with a stable code', async (_what, body, headers, status, code) => {
      const response = await raw(body, headers);
      expect(response).toEqual({
        status,
        body: { errors: [{ message: expect.any(String), extensions: { code } }] },
      });
    });

    it('answers an unknown operationName or several operations without one with 400 BAD_REQUEST', async () => {
      for (const payload of [
        { query: 'query A { __typename }', operationName: 'B' },
        { query: 'query A { __typename } query B { __typename }' },
      ]) {
        const { status, body } = await raw(JSON.stringify(payload), json);
        expect(status).toBe(400);
        expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
      }
    });
  });
});
