import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testAuth, type TestAuth } from '@ies/testkit';
import { buildManifest, serializeManifest } from '../src/trusted-documents/extract-operations';
import { operationId } from '../src/trusted-documents/manifest';
import { postJson, startGateway, type InProcessGateway } from './gateway-harness';

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

const byId = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });

describe('Trusted documents modes', () => {
  let auth: TestAuth;
  let provider: string;
  beforeAll(async () => {
    auth = await testAuth();
    provider = await auth.token('PROVIDER', { providerIds: ['sp-peel-1'] });
  });

  describe('off', () => {
    let gateway: InProcessGateway;
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
      expect(await postJson(gateway.graphqlUrl, { query: UNLISTED }, provider)).toEqual({
        status: 200,
        body: { data: { __typename: 'Query' } },
      });
    });

    it('still serves a manifest operation by its id alone', async () => {
      expect(await postJson(gateway.graphqlUrl, byId(operationId(LISTED)), provider)).toEqual({
        status: 200,
        body: { data: { __typename: 'Query' } },
      });
    });
  });

  describe('audit', () => {
    let gateway: InProcessGateway;
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
      expect(await postJson(gateway.graphqlUrl, { query: UNLISTED }, provider)).toEqual({
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
      expect((await postJson(gateway.graphqlUrl, { query: LISTED }, provider)).status).toBe(200);
      expect(gateway.lines.slice(before).map((l) => l.msg)).not.toContain(
        'operation outside the trusted documents',
      );
    });
  });

  describe('require', () => {
    let gateway: InProcessGateway;
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
      const { status, body } = await postJson(
        gateway.graphqlUrl,
        byId(operationId('query Other { __typename }')),
        provider,
      );
      expect(status).toBeLessThan(500);
      expect(body).toEqual({
        errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
      });
    });

    it('refuses an operation outside the manifest and logs the refusal', async () => {
      expect(await postJson(gateway.graphqlUrl, { query: UNLISTED }, provider)).toMatchObject({
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
