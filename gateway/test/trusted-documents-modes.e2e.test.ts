import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { testAuth, type TestAuth } from '@ies/testkit';
import { loadGatewayConfig } from '../src/config';
import { createGatewayServer, type GatewayServer } from '../src/server';
import { buildManifest, serializeManifest } from '../src/trusted-documents/extract-operations';
import { operationId } from '../src/trusted-documents/manifest';

const LISTED = 'query Typename {\n  __typename\n}';
const UNLISTED = '{ __typename }';

/** A manifest of one operation the gateway answers alone (no subgraph needed). */
function manifestFile(
  operations = [{ id: operationId(LISTED), name: 'Typename', type: 'query' as const, body: LISTED }],
) {
  const path = join(mkdtempSync(join(tmpdir(), 'ies-trusted-')), 'trusted-documents.json');
  writeFileSync(path, serializeManifest(buildManifest(operations)));
  return path;
}

async function startGateway(auth: TestAuth, env: Record<string, string>) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const config = loadGatewayConfig({
    JWT_PUBLIC_KEY: auth.keys.publicKeyPem,
    JWT_ISSUER: auth.settings.issuer,
    JWT_AUDIENCE: auth.settings.audience,
    INTERNAL_SIGNING_SECRET: auth.internalSecret,
    ...env,
  });
  const server: GatewayServer = await createGatewayServer(config, logger);
  const url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
  return { url, lines, close: () => server.close() };
}

async function post(url: string, body: object, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const byId = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });

describe('Trusted documents modes', () => {
  let auth: TestAuth;
  let provider: string;
  beforeAll(async () => {
    auth = await testAuth();
    provider = await auth.token('PROVIDER', { providerIds: ['sp-peel-1'] });
  });

  describe('off', () => {
    let gateway: Awaited<ReturnType<typeof startGateway>>;
    beforeAll(async () => {
      gateway = await startGateway(auth, {
        TRUSTED_DOCUMENTS: 'off',
        TRUSTED_DOCUMENTS_PATH: manifestFile(),
      });
    });
    afterAll(async () => {
      await gateway?.close();
    });

    it('serves any operation', async () => {
      expect(await post(gateway.url, { query: UNLISTED }, provider)).toEqual({
        status: 200,
        body: { data: { __typename: 'Query' } },
      });
    });

    it('still serves a manifest operation by its id alone', async () => {
      expect(await post(gateway.url, byId(operationId(LISTED)), provider)).toEqual({
        status: 200,
        body: { data: { __typename: 'Query' } },
      });
    });
  });

  describe('audit', () => {
    let gateway: Awaited<ReturnType<typeof startGateway>>;
    beforeAll(async () => {
      gateway = await startGateway(auth, {
        TRUSTED_DOCUMENTS: 'audit',
        TRUSTED_DOCUMENTS_PATH: manifestFile(),
      });
    });
    afterAll(async () => {
      await gateway?.close();
    });

    it('serves an operation outside the manifest and logs it with its hash', async () => {
      expect(await post(gateway.url, { query: UNLISTED }, provider)).toEqual({
        status: 200,
        body: { data: { __typename: 'Query' } },
      });
      expect(gateway.lines).toContainEqual(
        expect.objectContaining({
          level: 40,
          msg: 'operation outside the trusted documents',
          queryHash: operationId(UNLISTED),
          role: 'PROVIDER',
        }),
      );
    });

    it('does not log a manifest operation', async () => {
      const before = gateway.lines.length;
      expect((await post(gateway.url, { query: LISTED }, provider)).status).toBe(200);
      expect(gateway.lines.slice(before).map((l) => l.msg)).not.toContain(
        'operation outside the trusted documents',
      );
    });
  });

  describe('require', () => {
    let gateway: Awaited<ReturnType<typeof startGateway>>;
    beforeAll(async () => {
      gateway = await startGateway(auth, {
        TRUSTED_DOCUMENTS: 'require',
        TRUSTED_DOCUMENTS_PATH: manifestFile(),
      });
    });
    afterAll(async () => {
      await gateway?.close();
    });

    it('answers an id that is not in the manifest as an unknown persisted query', async () => {
      const { status, body } = await post(
        gateway.url,
        byId(operationId('query Other { __typename }')),
        provider,
      );
      expect(status).toBeLessThan(500);
      expect(body).toEqual({
        errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
      });
    });

    it('refuses an operation outside the manifest and logs the refusal', async () => {
      expect(await post(gateway.url, { query: UNLISTED }, provider)).toMatchObject({
        status: 403,
        body: { errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } }] },
      });
      expect(gateway.lines).toContainEqual(
        expect.objectContaining({ msg: 'refused operation outside the trusted documents', role: 'PROVIDER' }),
      );
    });
  });

  describe('a manifest whose ids are not the hashes of their bodies', () => {
    it('stops the gateway from starting', async () => {
      const forged = manifestFile([
        { id: operationId(LISTED), name: 'Typename', type: 'query', body: UNLISTED },
      ]);
      await expect(
        startGateway(auth, { TRUSTED_DOCUMENTS: 'require', TRUSTED_DOCUMENTS_PATH: forged }),
      ).rejects.toThrow(/manifest ids are not the SHA-256 of their bodies: Typename/);
    });
  });
});
