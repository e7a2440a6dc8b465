import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { testAuth, type TestAuth } from '@ies/testkit';
import { SUBGRAPHS } from '../src/subgraphs';
import { buildManifest, serializeManifest } from '../src/trusted-documents/extract-operations';
import { operationId } from '../src/trusted-documents/manifest';
import { postJson, startGateway, type InProcessGateway } from './gateway-harness';

/** `count` aliases of the same selection, `t0: … t1: …`. */
const aliased = (count: number, selection: string) =>
  Array.from({ length: count }, (_, i) => `t${i}: ${selection}`).join(' ');

/** The review's request: 300 aliases of a deep introspection (12.5 MB and ~1.2 s of event loop each). */
const INTROSPECTION_BOMB = `{ ${aliased(300, '__schema { types { name fields { name type { name } args { name type { name } } } } }')} }`;
const TYPENAME_ALIASES = `{ ${aliased(2000, '__typename')} }`;

/** A subgraph stand-in on every subgraph URL: counts the operations the gateway sends it. */
async function startCountingSubgraph() {
  let operations = 0;
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST') operations += 1;
    res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}/graphql`;
  return {
    env: Object.fromEntries(SUBGRAPHS.map((s) => [s.urlVariable, url])),
    operations: () => operations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A manifest of one operation the gateway answers alone. */
function manifestFile() {
  const body = 'query Typename {\n  __typename\n}';
  const path = join(mkdtempSync(join(tmpdir(), 'ies-trusted-')), 'trusted-documents.json');
  writeFileSync(
    path,
    serializeManifest(buildManifest([{ id: operationId(body), name: 'Typename', type: 'query', body }])),
  );
  return path;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const aliasRefusal = (actual: number) => [
  {
    message: `Operation has ${actual} aliased fields; the limit is 30`,
    extensions: { code: 'TOO_MANY_ALIASES', limit: 30, actual },
  },
];

/**
 * Review of issue 8: introspection and `__typename` counted like any field by the operation limits,
 * introspection configurable, schema details kept from callers where the schema is not public, and
 * Apollo's own 4xx refusals coded as the caller's errors.
 */
describe('Introspection and schema exposure at the gateway', () => {
  let auth: TestAuth;
  let subgraph: Awaited<ReturnType<typeof startCountingSubgraph>>;
  beforeAll(async () => {
    auth = await testAuth();
    subgraph = await startCountingSubgraph();
  });
  afterAll(async () => {
    await subgraph?.close();
  });

  describe('with introspection on (development) and any operation allowed', () => {
    let gateway: InProcessGateway;
    beforeAll(async () => {
      gateway = await startGateway(auth, { ...subgraph.env, HEALTH_POLL_INTERVAL_MS: '300000' });
    });
    afterAll(async () => {
      await gateway?.close();
    });

    it('refuses 300 aliases of __schema, anonymous, with TOO_MANY_ALIASES before any subgraph call', async () => {
      const before = subgraph.operations();
      const { status, body } = await postJson(gateway.graphqlUrl, { query: INTROSPECTION_BOMB });
      expect(status).toBe(400);
      expect(body).toEqual({ errors: aliasRefusal(300) });
      expect(subgraph.operations()).toBe(before);
    });

    it('refuses 2000 aliases of __typename the same way', async () => {
      const before = subgraph.operations();
      const { status, body } = await postJson(gateway.graphqlUrl, { query: TYPENAME_ALIASES });
      expect(status).toBe(400);
      expect(body).toEqual({ errors: aliasRefusal(2000) });
      expect(subgraph.operations()).toBe(before);
    });

    it('counts __typename as a root field', async () => {
      const { status, body } = await postJson(gateway.graphqlUrl, {
        query: `{ __typename ${aliased(15, '__typename')} }`,
      });
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'TOO_MANY_ROOT_FIELDS', limit: 15, actual: 16 });
    });

    it('costs each __schema 1,000: six are over the public limit, one full introspection is served', async () => {
      const six = await postJson(gateway.graphqlUrl, {
        query: `{ ${aliased(6, '__schema { types { name } }')} }`,
      });
      expect(six.status).toBe(400);
      expect(six.body.errors).toEqual([
        {
          message: 'Operation costs 6000; the limit for PUBLIC callers is 5000',
          extensions: { code: 'OPERATION_TOO_COSTLY', limit: 5000, actual: 6000 },
        },
      ]);
      const full = await postJson(gateway.graphqlUrl, { query: getIntrospectionQuery() });
      expect(full.status).toBe(200);
      expect(full.body.errors).toBeUndefined();
      expect(full.body.data.__schema.types.map((t: { name: string }) => t.name)).toContain('Query');
    });

    it('refuses introspection nested deeper than graphql-js allows', async () => {
      const deep =
        '{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }';
      const { status, body } = await postJson(gateway.graphqlUrl, { query: deep });
      expect(status).toBe(400);
      expect(body.errors).toEqual([
        {
          message: 'Maximum introspection depth exceeded',
          locations: [{ line: 1, column: 3 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ]);
    });

    it('suggests field names in validation errors (the schema is public here)', async () => {
      const { body } = await postJson(gateway.graphqlUrl, { query: '{ serviceProvidrs { totalCount } }' });
      expect(body.errors?.[0]?.message).toMatch(/Did you mean/);
    });

    it('answers an APQ hash that does not match its query with BAD_REQUEST, status 400', async () => {
      const { status, body } = await postJson(gateway.graphqlUrl, {
        query: '{ __typename }',
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ other }') } },
      });
      expect(status).toBe(400);
      expect(body).toEqual({
        errors: [{ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } }],
      });
    });

    it('answers an unsupported persisted query version with BAD_REQUEST, status 400', async () => {
      const { status, body } = await postJson(gateway.graphqlUrl, {
        query: '{ __typename }',
        extensions: { persistedQuery: { version: 2, sha256Hash: sha256('{ __typename }') } },
      });
      expect(status).toBe(400);
      expect(body).toEqual({
        errors: [{ message: 'Unsupported persisted query version', extensions: { code: 'BAD_REQUEST' } }],
      });
    });
  });

  describe('with INTROSPECTION=false', () => {
    let gateway: InProcessGateway;
    beforeAll(async () => {
      gateway = await startGateway(auth, {
        ...subgraph.env,
        INTROSPECTION: 'false',
        HEALTH_POLL_INTERVAL_MS: '300000',
      });
    });
    afterAll(async () => {
      await gateway?.close();
    });

    it('refuses __schema and __type, and still answers __typename', async () => {
      for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Query") { name } }']) {
        const { status, body } = await postJson(gateway.graphqlUrl, { query });
        expect(status).toBe(400);
        expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(body.errors?.[0]?.message).toMatch(/introspection is not allowed/);
      }
      expect(await postJson(gateway.graphqlUrl, { query: '{ __typename }' })).toEqual({
        status: 200,
        body: { data: { __typename: 'Query' } },
      });
    });

    it('does not suggest field names to a caller who misspells one', async () => {
      const { status, body } = await postJson(gateway.graphqlUrl, {
        query: '{ serviceProvidrs { totalCount } }',
      });
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(body.errors?.[0]?.message).not.toMatch(/Did you mean|serviceProviders/);
    });
  });

  describe('with TRUSTED_DOCUMENTS=require (production)', () => {
    let gateway: InProcessGateway;
    let ministry: string;
    beforeAll(async () => {
      ministry = await auth.token('MINISTRY');
      gateway = await startGateway(auth, {
        ...subgraph.env,
        TRUSTED_DOCUMENTS: 'require',
        TRUSTED_DOCUMENTS_PATH: manifestFile(),
        HEALTH_POLL_INTERVAL_MS: '300000',
      });
    });
    afterAll(async () => {
      await gateway?.close();
    });

    it("refuses the ministry's 300-alias introspection too, before any subgraph call", async () => {
      const before = subgraph.operations();
      const { status, body } = await postJson(gateway.graphqlUrl, { query: INTROSPECTION_BOMB }, ministry);
      expect(status).toBe(400);
      expect(body).toEqual({ errors: aliasRefusal(300) });
      expect(subgraph.operations()).toBe(before);
    });

    it('does not suggest field names to an anonymous caller, whose operation is refused anyway', async () => {
      const { body } = await postJson(gateway.graphqlUrl, { query: '{ serviceProvidrs { totalCount } }' });
      expect(body.errors?.length).toBeGreaterThan(0);
      for (const error of body.errors ?? [])
        expect(error.message).not.toMatch(/Did you mean|serviceProviders/);
    });
  });
});
