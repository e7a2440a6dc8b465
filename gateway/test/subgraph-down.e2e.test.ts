import { graphqlRequest } from '@ies/testkit';
import { startStack, type Stack } from './stack-harness';

describe('Gateway when a subgraph goes down', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('subgraph_down');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers with errors instead of crashing, reports not ready, and stays live', async () => {
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

    const ready = await fetch(`${stack.gateway.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', subgraphs: { catchments: 'down' } });
    expect((await fetch(`${stack.gateway.url}/health/live`)).status).toBe(200);
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
    const ready = await fetch(`${stack.gateway.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ subgraphs: { catchments: 'ready', contracts: 'down' } });
  });
});
