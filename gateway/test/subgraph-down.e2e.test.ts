import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphqlRequest } from '@ies/testkit';
import { healthWhen } from './gateway-harness';
import { startStack, type Stack } from './stack-harness';

/** The API guide's "catchment with its SSM, contract, funding and provider network" query, as printed. */
function apiGuideQuery(name: string): string {
  const guide = readFileSync(join(__dirname, '../../docs/api-guide.md'), 'utf8');
  const found = guide.match(new RegExp('```graphql\\n(query ' + name + ' \\{[\\s\\S]*?)```'));
  if (!found) throw new Error(`docs/api-guide.md has no query ${name}`);
  return found[1]!;
}

const unavailable = (serviceName: string) =>
  expect.objectContaining({
    extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName }),
  });

describe('Gateway when a subgraph goes down', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('subgraph_down');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers with errors instead of crashing, stays ready and live, and reports the subgraph down', async () => {
    const before = await graphqlRequest(stack.graphqlUrl, `{ catchmentArea(id: "york") { name } }`);
    expect(before.body.data).toEqual({ catchmentArea: { name: 'York' } });

    await stack.catchments.stop();

    const during = await graphqlRequest(stack.graphqlUrl, `{ catchmentArea(id: "york") { name } }`);
    expect(during.status).toBe(200);
    expect(during.body.data).toEqual({ catchmentArea: null });
    expect(during.body.errors?.[0]?.extensions).toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      serviceName: 'catchments',
    });

    // Per-subgraph health, for dashboards and alerts, is reported apart, from the next poll.
    await healthWhen(stack.gateway.url, (body) => body.subgraphs.catchments === 'down');
    const subgraphs = await fetch(`${stack.gateway.url}/health/subgraphs`);
    expect(subgraphs.status).toBe(503);
    expect(await subgraphs.json()).toEqual({
      status: 'degraded',
      service: 'gateway',
      subgraphs: {
        catchments: 'down',
        contracts: 'ready',
        clients: 'ready',
        disputes: 'ready',
        webhooks: 'ready',
      },
      redis: 'ready',
    });
    // The gateway can still serve (every other subgraph's fields): it stays in rotation.
    const ready = await fetch(`${stack.gateway.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      subgraphs: {
        catchments: 'down',
        contracts: 'ready',
        clients: 'ready',
        disputes: 'ready',
        webhooks: 'ready',
      },
    });
    expect((await fetch(`${stack.gateway.url}/health/live`)).status).toBe(200);
  });

  it("keeps another subgraph's objects whose catchment it cannot resolve, with that field null", async () => {
    await stack.catchments.stop();
    const token = await stack.auth.token('MINISTRY');
    const { status, body } = await graphqlRequest(
      stack.graphqlUrl,
      `{ providerAgreements(first: 3) { edges { node { id kind catchment { name } } } } }`,
      { token },
    );
    expect(status).toBe(200);
    const nodes = body.data!.providerAgreements.edges.map((edge: { node: unknown }) => edge.node);
    expect(nodes).toHaveLength(3);
    for (const node of nodes) {
      expect(node).toEqual({ id: expect.any(String), kind: expect.any(String), catchment: null });
    }
    expect(body.errors).toContainEqual(unavailable('catchments'));
  });
});

describe('Gateway when the contracts subgraph goes down', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('contracts_down');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps serving catchments with a contracts error when the contracts subgraph is down', async () => {
    await stack.contracts.stop();
    const token = await stack.auth.token('MINISTRY');
    const { status, body } = await graphqlRequest(
      stack.graphqlUrl,
      `{ catchmentArea(id: "ottawa") { name serviceSystemManager { organizationName } contract { termEndDate } } }`,
      { token },
    );
    expect(status).toBe(200);
    expect(body.data!.catchmentArea).toEqual({
      name: 'Ottawa',
      serviceSystemManager: { organizationName: 'WCG INTERNATIONAL CONSULTANTS LTD' },
      contract: null,
    });
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      serviceName: 'contracts',
    });
    await healthWhen(stack.gateway.url, (health) => health.subgraphs.contracts === 'down');
    const ready = await fetch(`${stack.gateway.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ subgraphs: { catchments: 'ready', contracts: 'down' } });
    expect((await fetch(`${stack.gateway.url}/health/subgraphs`)).status).toBe(503);
  });

  it("answers the API guide's network query with the catchment, its contracts fields null", async () => {
    await stack.contracts.stop();
    const token = await stack.auth.token('MINISTRY');
    const { status, body } = await graphqlRequest(stack.graphqlUrl, apiGuideQuery('Network'), { token });
    expect(status).toBe(200);
    expect(body.data).toEqual({
      catchmentArea: {
        name: 'Durham',
        period: expect.any(String),
        serviceSystemManager: { organizationName: 'Region of Durham' },
        contract: null,
        providers: null,
        agreements: null,
      },
    });
    expect(body.errors).toContainEqual(unavailable('contracts'));
  });
});
