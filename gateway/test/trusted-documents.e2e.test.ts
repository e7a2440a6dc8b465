import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphqlRequest } from '@ies/testkit';
import type { Manifest } from '../src/trusted-documents/manifest';
import { startStack, type Stack } from './stack-harness';

const manifest: Manifest = JSON.parse(readFileSync(join(__dirname, '..', 'trusted-documents.json'), 'utf8'));
const listed = (name: string) => manifest.operations.find((o) => o.name === name)!;

/** An operation by its manifest id alone (Apollo's automatic persisted query request, without a body). */
async function byId(url: string, id: string, options: { token?: string; variables?: object } = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({
      variables: options.variables ?? {},
      extensions: { persistedQuery: { version: 1, sha256Hash: id } },
    }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

const NOT_ALLOWED = {
  errors: [{ message: expect.any(String), extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } }],
};

describe('Trusted documents at the gateway (TRUSTED_DOCUMENTS=require)', () => {
  let stack: Stack;
  let provider: string;
  let ministry: string;
  beforeAll(async () => {
    stack = await startStack('trusted_documents', { gatewayEnv: { TRUSTED_DOCUMENTS: 'require' } });
    provider = await stack.auth.token('PROVIDER', { providerIds: ['sp-peel-1'] });
    ministry = await stack.auth.token('MINISTRY');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('a front-end with a PROVIDER token', () => {
    it('runs a manifest operation sent as its body', async () => {
      const { status, body } = await graphqlRequest(stack.graphqlUrl, listed('CatchmentsInTransition').body, {
        token: provider,
      });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data!.catchmentAreas.totalCount).toBeGreaterThan(0);
    });

    it('runs a manifest operation sent as its id alone', async () => {
      const { status, body } = await byId(stack.graphqlUrl, listed('ProviderPortalCatchment').id, {
        token: provider,
        variables: { id: 'peel' },
      });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.catchmentArea).toMatchObject({ id: 'peel', name: expect.any(String) });
    });

    it('is refused an operation outside the manifest, with 403 and a typed error', async () => {
      const { status, body } = await graphqlRequest(stack.graphqlUrl, '{ __typename }', { token: provider });
      expect(status).toBe(403);
      expect(body).toEqual(NOT_ALLOWED);
    });

    it('is refused a manifest operation whose text was changed, even only its spacing', async () => {
      const reformatted = listed('CatchmentsInTransition').body.replace(/\n\s*/g, ' ');
      const { status, body } = await graphqlRequest(stack.graphqlUrl, reformatted, { token: provider });
      expect(status).toBe(403);
      expect(body).toEqual(NOT_ALLOWED);
    });

    it('is refused an unlisted mutation, which changes nothing', async () => {
      const register = listed('Register')
        .body.replace('mutation Register', 'mutation RegisterUnlisted')
        .replace('CL-0001234', 'CL-0007777');
      const count = async () =>
        (
          await graphqlRequest(
            stack.graphqlUrl,
            '{ clients(filter: { providerId: "sp-peel-1" }) { totalCount } }',
            {
              token: ministry,
            },
          )
        ).body.data!.clients.totalCount as number;
      const before = await count();
      const { status, body } = await graphqlRequest(stack.graphqlUrl, register, { token: provider });
      expect(status).toBe(403);
      expect(body).toEqual(NOT_ALLOWED);
      expect(await count()).toBe(before);
    });

    it('cannot run a query the ministry registered by its id', async () => {
      const query = '{ __typename }';
      const sha256Hash = createHash('sha256').update(query).digest('hex');
      const registered = await fetch(stack.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ministry}` },
        body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
      });
      expect(await registered.json()).toEqual({ data: { __typename: 'Query' } });
      const { status, body } = await byId(stack.graphqlUrl, sha256Hash, { token: provider });
      expect(status).toBe(403);
      expect(body).toEqual(NOT_ALLOWED);
    });
  });

  describe('a partner system with a PARTNER token', () => {
    it('manages its own endpoint with its own values: register, read, rotate, its log, replays', async () => {
      const partner = await stack.auth.token('PARTNER', { subject: 'partner-trusted', partnerId: 'acme' });
      const run = async (name: string, variables: object) => {
        const { status, body } = await byId(stack.graphqlUrl, listed(name).id, { token: partner, variables });
        expect({ name, status, errors: body.errors }).toEqual({ name, status: 200, errors: undefined });
        return body.data;
      };
      const url = 'http://127.0.0.1:9/acme-trusted-hooks';
      const registered = await run('PartnerRegisterWebhookEndpoint', {
        input: { url, eventTypes: ['ContractCreated'], description: 'Acme intake' },
      });
      const endpoint = registered.registerWebhookEndpoint.endpoint;
      expect(endpoint).toMatchObject({ partnerId: 'acme', url, eventTypes: ['ContractCreated'] });
      expect(registered.registerWebhookEndpoint.signingSecret).toMatch(/^whsec_/);
      expect((await run('PartnerWebhookEndpoint', { id: endpoint.id })).webhookEndpoint.url).toBe(url);
      const rotated = await run('PartnerRotateWebhookEndpointSecret', { id: endpoint.id, overlapHours: 1 });
      expect(rotated.rotateWebhookEndpointSecret.endpoint.activeSecretCount).toBe(2);
      const updated = await run('PartnerUpdateWebhookEndpoint', {
        id: endpoint.id,
        input: { description: 'Acme intake (renamed)' },
      });
      expect(updated.updateWebhookEndpoint.description).toBe('Acme intake (renamed)');
      const listedEndpoints = await run('PartnerWebhookEndpoints', { first: 10 });
      expect(listedEndpoints.webhookEndpoints.edges.map((e: any) => e.node.id)).toContain(endpoint.id);
      expect(
        (await run('PartnerWebhookDeliveries', { endpointId: endpoint.id, first: 10 })).webhookDeliveries,
      ).toMatchObject({ totalCount: expect.any(Number) });
      const since = new Date(Date.now() - 3_600_000).toISOString();
      expect(
        (await run('PartnerReplayWebhookEvents', { endpointId: endpoint.id, since })).replayWebhookEvents,
      ).toMatchObject({ truncated: expect.any(Boolean) });
      expect(
        (await run('PartnerDisableWebhookEndpoint', { id: endpoint.id, reason: 'paused' }))
          .disableWebhookEndpoint.enabled,
      ).toBe(false);
      // The same registration outside the manifest is refused.
      const adHoc = await graphqlRequest(
        stack.graphqlUrl,
        'mutation { registerWebhookEndpoint(input: { url: "http://127.0.0.1:9/x", eventTypes: ["ContractCreated"] }) { signingSecret } }',
        { token: partner },
      );
      expect(adHoc.status).toBe(403);
    });
  });

  describe('an anonymous caller', () => {
    it('runs a manifest operation', async () => {
      const { status, body } = await byId(stack.graphqlUrl, listed('OneCatchment').id);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.catchmentArea.name).toEqual(expect.any(String));
    });

    it('is refused an operation outside the manifest', async () => {
      const { status, body } = await graphqlRequest(
        stack.graphqlUrl,
        '{ catchmentAreas(first: 1) { totalCount } }',
      );
      expect(status).toBe(403);
      expect(body).toEqual(NOT_ALLOWED);
    });
  });

  describe("the ministry's tools", () => {
    it('run any operation', async () => {
      const { status, body } = await graphqlRequest(
        stack.graphqlUrl,
        '{ catchmentAreas(first: 1) { totalCount } }',
        { token: ministry },
      );
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data!.catchmentAreas.totalCount).toBeGreaterThan(0);
    });
  });
});
