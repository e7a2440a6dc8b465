import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { graphqlRequest } from '@ies/testkit';
import { startStack, type Stack } from './stack-harness';

/** A receiver on port 0 that records requests; `next()` awaits the next one. */
async function receiver() {
  const waiting: ((r: { headers: IncomingHttpHeaders; body: string }) => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.statusCode = 204;
      res.end();
      waiting.shift()?.({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    next: () =>
      new Promise<{ headers: IncomingHttpHeaders; body: string }>((resolve) => waiting.push(resolve)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const REGISTER = `mutation($input: RegisterWebhookEndpointInput!) {
  registerWebhookEndpoint(input: $input) { signingSecret endpoint { id partnerId enabled } } }`;

/**
 * The webhooks subgraph and its worker in the real stack (separate processes started from the
 * registry): a change made through the gateway reaches a receiver, signed, through the webhooks
 * service's change log, its relay, the platform's stream and the delivery queue.
 */
describe('Partner webhooks through the gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('webhooks');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('delivers the event of a change made through the gateway, verified by the reference library', async () => {
    const ministryReceiver = await receiver();
    try {
      const ministry = await stack.auth.token('MINISTRY');
      const partner = await stack.auth.token('PARTNER', { partnerId: 'acme' });
      const watcher = await graphqlRequest(stack.graphqlUrl, REGISTER, {
        token: ministry,
        variables: { input: { url: ministryReceiver.url, eventTypes: ['WebhookEndpointDisabled'] } },
      });
      expect(watcher.body.errors).toBeUndefined();
      const own = await graphqlRequest(stack.graphqlUrl, REGISTER, {
        token: partner,
        variables: { input: { url: 'http://127.0.0.1:9/hooks', eventTypes: ['ContractCreated'] } },
      });
      const endpoint = own.body.data!.registerWebhookEndpoint.endpoint;
      expect(endpoint).toMatchObject({ partnerId: 'acme', enabled: true });
      expect(own.body.data!.registerWebhookEndpoint.signingSecret).toMatch(/^whsec_/);

      const delivered = ministryReceiver.next();
      const disabled = await graphqlRequest(
        stack.graphqlUrl,
        `mutation($id: ID!) { disableWebhookEndpoint(id: $id, reason: "Going dark") { enabled } }`,
        { token: partner, variables: { id: endpoint.id } },
      );
      expect(disabled.body.data).toEqual({ disableWebhookEndpoint: { enabled: false } });

      const request = await delivered;
      const headers = Object.fromEntries(
        ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(request.headers[h])]),
      );
      const event = new Webhook(watcher.body.data!.registerWebhookEndpoint.signingSecret).verify(
        request.body,
        headers,
      );
      expect(event).toMatchObject({
        type: 'WebhookEndpointDisabled',
        subject: { typename: 'WebhookEndpoint', id: endpoint.id },
        data: { partnerId: 'acme', reason: 'Going dark' },
        service: 'webhooks',
      });
      expect(headers['webhook-id']).toBe((event as { id: string }).id);
    } finally {
      await ministryReceiver.stop();
    }
  });

  it('delivers a partner the SSM assignment the ministry makes through the gateway, signed with its own secret', async () => {
    const partnerReceiver = await receiver();
    try {
      const ministry = await stack.auth.token('MINISTRY');
      const partner = await stack.auth.token('PARTNER', { subject: 'acme-intake', partnerId: 'acme' });
      const registered = await graphqlRequest(stack.graphqlUrl, REGISTER, {
        token: partner,
        variables: {
          input: {
            url: partnerReceiver.url,
            eventTypes: ['CatchmentServiceSystemManagerAssigned'],
            catchmentIds: ['northwest'],
          },
        },
      });
      expect(registered.body.errors).toBeUndefined();
      const { signingSecret } = registered.body.data!.registerWebhookEndpoint;

      const delivered = partnerReceiver.next();
      const assigned = await graphqlRequest(
        stack.graphqlUrl,
        `mutation { assignServiceSystemManager(input: { catchmentId: "northwest", serviceSystemManagerId: "serco-canada", reason: "Phase 3 award" }) { ok } }`,
        { token: ministry },
      );
      expect(assigned.body.data).toEqual({ assignServiceSystemManager: { ok: true } });

      const request = await delivered;
      const headers = Object.fromEntries(
        ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(request.headers[h])]),
      );
      const event = new Webhook(signingSecret).verify(request.body, headers);
      expect(event).toMatchObject({
        type: 'CatchmentServiceSystemManagerAssigned',
        catchmentId: 'northwest',
        subject: { typename: 'CatchmentArea', id: 'northwest' },
        data: { serviceSystemManagerId: 'serco-canada' },
        service: 'catchments',
      });
      expect(headers['webhook-id']).toBe((event as { id: string }).id);
    } finally {
      await partnerReceiver.stop();
    }
  });

  it('refuses an SSM with FORBIDDEN through the gateway', async () => {
    const ssm = await stack.auth.token('SSM', { catchmentIds: ['durham'] });
    const refused = await graphqlRequest(stack.graphqlUrl, `{ webhookEndpoints { totalCount } }`, {
      token: ssm,
    });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
