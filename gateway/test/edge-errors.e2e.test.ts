import { graphqlRequest } from '@ies/testkit';
import { startStack, type Stack } from './stack-harness';

/** Whatever a caller gets back must be GraphQL JSON without a stack, a file path or an internal address. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(
    /<html|<pre>|\bat [\w.<>]+ \(|node_modules|\/work\/|\.ts:\d+|127\.0\.0\.1|localhost/i,
  );
}

/** A raw POST to the gateway: any body, any headers; the JSON answer and its text. */
async function post(url: string, body: string | Uint8Array, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  expectNoInternals(text);
  expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
  return { status: response.status, body: JSON.parse(text) as { errors?: any[]; data?: any } };
}

describe('The gateway’s edge: every answer is GraphQL JSON with a stable code', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('edge_errors');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const json = { 'content-type': 'application/json' };

  describe('requests express cannot read', () => {
    const cases: [string, string, Record<string, string>, number, string][] = [
      ['malformed JSON', '{"query": "{ __typename }"', json, 400, 'BAD_REQUEST'],
      ['a JSON null body', 'null', json, 400, 'BAD_REQUEST'],
      [
        'a body over the limit',
        JSON.stringify({ query: `{ __typename }${' '.repeat(1_100_000)}` }),
        json,
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        'a content type other than JSON',
        '{ __typename }',
        { 'content-type': 'text/plain' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'an unsupported charset',
        '{"query":"{ __typename }"}',
        { 'content-type': 'application/json; charset=latin-9' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'an unsupported content encoding',
        '{"query":"{ __typename }"}',
        { ...json, 'content-encoding': 'compress' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      ['a corrupt gzip body', 'not gzip at all', { ...json, 'content-encoding': 'gzip' }, 400, 'BAD_REQUEST'],
    ];
    it.each(cases)(
      'answers %s as JSON, not an HTML stack trace',
      async (_what, body, headers, status, code) => {
        const response = await post(stack.graphqlUrl, body, headers);
        expect(response.status).toBe(status);
        expect(response.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
      },
    );

    it('answers a path nobody serves with a JSON 404', async () => {
      const response = await fetch(`${stack.gateway.url}/nowhere`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }],
      });
    });

    it('logs the refusal in the structured log, with the request id', async () => {
      await post(stack.graphqlUrl, '{"broken', { ...json, 'x-request-id': 'edge-malformed-1' });
      expect(
        await stack.gateway.waitForLog(
          (line) => line.requestId === 'edge-malformed-1' && line.msg === 'refused request',
        ),
      ).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    });
  });

  describe('operations the caller got wrong', () => {
    const send = (payload: Record<string, unknown>) => post(stack.graphqlUrl, JSON.stringify(payload), json);

    it('answers an unknown operationName with 400 BAD_REQUEST', async () => {
      const { status, body } = await send({ query: 'query A { __typename }', operationName: 'B' });
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      expect(body.errors?.[0]?.message).toMatch(/Unknown operation named "B"/);
    });

    it('answers several operations without an operationName with 400 BAD_REQUEST', async () => {
      const { status, body } = await send({ query: 'query A { __typename } query B { __typename }' });
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    });

    it('answers a subscription over POST with 400 BAD_REQUEST', async () => {
      const { status, body } = await send({ query: 'subscription { __typename }' });
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    });

    it('still runs the named operation of several', async () => {
      const { status, body } = await send({
        query: 'query A { __typename } query B { catchmentArea(id: "york") { name } }',
        operationName: 'B',
      });
      expect(status).toBe(200);
      expect(body.data).toEqual({ catchmentArea: { name: 'York' } });
    });
  });

  describe('invalid custom-scalar literals', () => {
    it('answers an impossible Date literal with BAD_USER_INPUT', async () => {
      const { body } = await graphqlRequest(
        stack.graphqlUrl,
        `{ catchmentArea(id: "peel") { period(asOf: "2023-02-30") } }`,
      );
      expectNoInternals(JSON.stringify(body));
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('answers a fraction of a cent in a Cents literal with BAD_USER_INPUT', async () => {
      const token = await stack.auth.token('MINISTRY');
      const { body } = await graphqlRequest(
        stack.graphqlUrl,
        `mutation { amendAgreementFunding(input: { agreementId: "agr-sp-durham-1-2025-04-01", funding: { fixed: 1.5, performanceBased: 0 }, reason: "x" }) { ok } }`,
        { token },
      );
      expectNoInternals(JSON.stringify(body));
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });
});

describe('The gateway when a subgraph answers with a failure', () => {
  // Subgraphs that refuse every call: the gateway signs with a secret they do not share.
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('edge_subgraph_failure', {
      gatewayEnv: { INTERNAL_SIGNING_SECRET: `not-the-subgraphs-secret-${crypto.randomUUID()}` },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers SUBGRAPH_UNAVAILABLE naming the service, and logs the address, status and body', async () => {
    const { body } = await graphqlRequest(stack.graphqlUrl, `{ catchmentArea(id: "york") { name } }`, {
      headers: { 'x-request-id': 'edge-subgraph-401' },
    });
    expectNoInternals(JSON.stringify(body));
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'catchments' });
    const logged = await stack.gateway.waitForLog(
      (line) => line.requestId === 'edge-subgraph-401' && line.msg === 'subgraph answered with a failure',
    );
    expect(logged).toMatchObject({
      serviceName: 'catchments',
      response: { url: expect.stringContaining('/graphql'), status: 401 },
    });
  });
});
