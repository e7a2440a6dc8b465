import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRINCIPAL_HEADER } from '@ies/auth';
import { graphqlRequest, principalOf, subgraphRequest } from '@ies/testkit';
import { startStack, type Stack } from './stack-harness';
import { startWiretap, type Wiretap } from './wiretap';

const AGREEMENT = 'agr-sp-durham-1-2025-04-01';
const READ = `query Read($id: ID!) { providerAgreement(id: $id) { id version funding { fixed performanceBased } } }`;
const amend = (alias: string) =>
  `${alias}: amendAgreementFunding(input: { agreementId: "${AGREEMENT}", funding: { fixed: 1, performanceBased: 0 }, reason: "over the limit" }) { ok }`;

/** `count` aliases of the same selection, `a0: … a1: …`. */
const aliased = (count: number, selection: string) =>
  Array.from({ length: count }, (_, i) => `a${i}: ${selection}`).join(' ');

/** Three pages of providers with their sites: 3 × (1 + n × (edges + node + id + sites + 10 × (id + name))). */
const PROVIDERS_WITH_SITES = `query Providers($n: Int) {
  ${aliased(3, 'serviceProviders(first: $n) { edges { node { id sites { id name } } } }')}
}`;
const costOf = (n: number) => 3 * (1 + n * (4 + 10 * 2));

/** The claims of a principal header (its middle part), as a subgraph reads them. */
const claimsOf = (header: string) =>
  JSON.parse(Buffer.from(header.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * Issue 8, finding 2: operations are weighed before any subgraph is called (tokens, aliases, root
 * fields, a cost per role), and every subgraph fetch carries the deadline after which nobody waits.
 * A relay between the gateway and the contracts subgraph counts what reaches it.
 */
describe('Operation limits at the gateway', () => {
  let tap: Wiretap;
  let stack: Stack;
  beforeAll(async () => {
    tap = await startWiretap();
    stack = await startStack('operation_limits', { gatewayEnv: { CONTRACTS_URL: tap.url } });
    tap.forwardTo(`${stack.contracts.url}/graphql`);
  });
  afterAll(async () => {
    await stack?.stop();
    await tap?.close();
  });

  /** Runs `send`, and how many requests reached the contracts subgraph meanwhile. */
  const counting = async <T>(send: () => Promise<T>) => {
    const before = tap.requests.length;
    const result = await send();
    return { result, subgraphRequests: tap.requests.length - before };
  };
  const ministryRead = async () => {
    const token = await stack.auth.token('MINISTRY');
    return (await graphqlRequest(stack.graphqlUrl, READ, { token, variables: { id: AGREEMENT } })).body;
  };

  describe('the issue’s request: 300 aliases of serviceProviders(first: 100), anonymous', () => {
    it('is refused with TOO_MANY_ALIASES before any subgraph is called', async () => {
      const query = `{ ${aliased(300, 'serviceProviders(first: 100) { edges { node { id organizationName } } }')} }`;
      expect(query.length).toBeGreaterThan(20_000);
      const { result, subgraphRequests } = await counting(() => graphqlRequest(stack.graphqlUrl, query));
      expect(result.status).toBe(400);
      expect(result.body.data).toBeUndefined();
      expect(result.body.errors).toEqual([
        {
          message: 'Operation has 300 aliased fields; the limit is 30',
          extensions: { code: 'TOO_MANY_ALIASES', limit: 30, actual: 300 },
        },
      ]);
      expect(subgraphRequests).toBe(0);
    });
  });

  describe('root fields', () => {
    it('refuses more root fields than allowed, before any subgraph is called', async () => {
      const { result, subgraphRequests } = await counting(() =>
        graphqlRequest(stack.graphqlUrl, `{ ${aliased(16, 'serviceProviders(first: 1) { totalCount }')} }`),
      );
      expect(result.status).toBe(400);
      expect(result.body.errors).toEqual([
        {
          message: 'Operation selects 16 root fields; the limit is 15',
          extensions: { code: 'TOO_MANY_ROOT_FIELDS', limit: 15, actual: 16 },
        },
      ]);
      expect(subgraphRequests).toBe(0);
    });

    it('refuses a batch of 16 ministry mutations, and the agreement does not change', async () => {
      const before = await ministryRead();
      const token = await stack.auth.token('MINISTRY');
      const mutation = `mutation { ${Array.from({ length: 16 }, (_, i) => amend(`m${i}`)).join(' ')} }`;
      const { result, subgraphRequests } = await counting(() =>
        graphqlRequest(stack.graphqlUrl, mutation, { token }),
      );
      expect(result.status).toBe(400);
      expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_ROOT_FIELDS' });
      expect(subgraphRequests).toBe(0);
      expect(await ministryRead()).toEqual(before);
    });
  });

  describe('tokens', () => {
    it('refuses a document of about a megabyte of tokens, below the body limit, while parsing', async () => {
      const query = `{ ${'__typename '.repeat(90_000)}}`;
      expect(query.length).toBeGreaterThan(900_000);
      const { result, subgraphRequests } = await counting(() => graphqlRequest(stack.graphqlUrl, query));
      expect(result.status).toBe(400);
      expect(result.body.errors).toEqual([
        {
          message: 'Syntax Error: Document contains more that 10000 tokens. Parsing aborted.',
          locations: [expect.any(Object)],
          extensions: { code: 'GRAPHQL_PARSE_FAILED' },
        },
      ]);
      expect(subgraphRequests).toBe(0);
    });
  });

  describe('cost, per role', () => {
    it('lets the ministry run an operation the public may not', async () => {
      const ministry = await graphqlRequest(stack.graphqlUrl, PROVIDERS_WITH_SITES, {
        token: await stack.auth.token('MINISTRY'),
        variables: { n: 100 },
      });
      expect(ministry.body.errors).toBeUndefined();
      expect(ministry.body.data?.a0.edges.length).toBeGreaterThan(0);

      const { result, subgraphRequests } = await counting(() =>
        graphqlRequest(stack.graphqlUrl, PROVIDERS_WITH_SITES, { variables: { n: 100 } }),
      );
      expect(result.status).toBe(400);
      expect(result.body.errors).toEqual([
        {
          message: `Operation costs ${costOf(100)}; the limit for PUBLIC callers is 5000`,
          extensions: { code: 'OPERATION_TOO_COSTLY', limit: 5000, actual: costOf(100) },
        },
      ]);
      expect(subgraphRequests).toBe(0);
    });

    it('counts the page size a variable gives: the same document is cheap enough with a small page', async () => {
      const small = await graphqlRequest(stack.graphqlUrl, PROVIDERS_WITH_SITES, { variables: { n: 10 } });
      expect(small.status).toBe(200);
      expect(small.body.errors).toBeUndefined();
      expect(costOf(10)).toBeLessThan(5000);
      expect(costOf(100)).toBeGreaterThan(5000);
    });

    it('assumes the largest page when the variable is not given', async () => {
      const response = await graphqlRequest(stack.graphqlUrl, PROVIDERS_WITH_SITES);
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions).toEqual({
        code: 'OPERATION_TOO_COSTLY',
        limit: 5000,
        actual: costOf(100),
      });
    });
  });

  it("costs the API guide's example what the guide says", async () => {
    const guide = readFileSync(join(__dirname, '..', '..', 'docs', 'api-guide.md'), 'utf8');
    const section = guide.slice(guide.indexOf('## Operation limits'));
    const example = /```graphql\n(query Providers[\s\S]*?)```/.exec(section)![1]!;
    const small = await graphqlRequest(stack.graphqlUrl, example, { variables: { n: 10 } });
    expect(small.body.errors).toBeUndefined();
    const large = await graphqlRequest(stack.graphqlUrl, example, { variables: { n: 100 } });
    expect(large.body.errors?.[0]?.message).toBe(
      'Operation costs 7203; the limit for PUBLIC callers is 5000',
    );
    expect(section).toContain(`that is ${costOf(10)}, with \`n = 100\` it is 7,203`);
  });

  describe('deadlines', () => {
    it('signs each subgraph fetch’s deadline: its timeout from the moment it is sent, less the answer margin', async () => {
      const before = tap.requests.length;
      const response = await graphqlRequest(
        stack.graphqlUrl,
        '{ serviceProviders(first: 1) { totalCount } }',
      );
      expect(response.body.errors).toBeUndefined();
      const [sent] = tap.requests.slice(before);
      const claims = claimsOf(sent!.headers[PRINCIPAL_HEADER] as string);
      // The stack harness sets SUBGRAPH_TIMEOUT_MS=30000, well within the request's own 60 s; the
      // subgraph is told to stop 250 ms before the gateway stops waiting, so its partial answer arrives.
      expect(claims.dl).toBe((claims.iat as number) + 30_000 - 250);
    });

    it('a subgraph refuses a request that arrives after its deadline, and changes nothing', async () => {
      const before = await ministryRead();
      const response = await subgraphRequest(
        `${stack.contracts.url}/graphql`,
        `mutation { ${amend('late')} }`,
        {
          principal: principalOf('MINISTRY'),
          secret: stack.auth.internalSecret,
          audience: 'contracts',
          deadline: Date.now() - 1,
        },
      );
      expect(response.status).toBe(504);
      expect(response.body.errors).toEqual([
        { message: expect.any(String), extensions: { code: 'DEADLINE_EXCEEDED' } },
      ]);
      expect(await ministryRead()).toEqual(before);
    });
  });
});
