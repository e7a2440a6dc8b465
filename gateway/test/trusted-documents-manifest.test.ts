import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSchema } from 'graphql';
import {
  ManifestError,
  buildManifest,
  graphqlBlocksOf,
  manifestDrift,
  manifestOperations,
  serializeManifest,
} from '../src/trusted-documents/extract-operations';
import { operationId, parseManifest } from '../src/trusted-documents/manifest';
import { trustedDocumentVerdict } from '../src/trusted-documents/trusted-documents-plugin';

const root = join(__dirname, '..', '..');

const schema = buildSchema(`
  type Query { catchment(id: ID!): Catchment, catchments: [Catchment!]! }
  type Mutation { rename(id: ID!, name: String!): Catchment }
  type Catchment { id: ID!, name: String!, phase: String }
`);

const guide = [
  '# Guide',
  '',
  '```graphql',
  'query One($id: ID!) {',
  '  catchment(id: $id) { ...Names }',
  '}',
  '',
  'fragment Names on Catchment { id name }',
  'fragment Unused on Catchment { phase }',
  '',
  'mutation Rename { rename(id: "peel", name: "Peel") { id } }',
  '```',
  '',
  '```sh',
  'curl …',
  '```',
  '',
  '```graphql',
  'query All { catchments { id } }',
  '```',
  '',
].join('\n');

describe('Trusted documents manifest', () => {
  describe('when built from an API guide', () => {
    const operations = manifestOperations(graphqlBlocksOf(guide, 'guide.md'), schema);

    it('holds one entry per operation, in the order of the guide', () => {
      expect(operations.map((o) => [o.name, o.type])).toEqual([
        ['One', 'query'],
        ['Rename', 'mutation'],
        ['All', 'query'],
      ]);
    });

    it('gives each operation the fragments it uses, and only those', () => {
      const one = operations[0]!;
      expect(one.body).toContain('fragment Names on Catchment');
      expect(one.body).not.toContain('Unused');
      expect(operations[1]!.body).not.toContain('fragment');
    });

    it('identifies each operation by the SHA-256 of its body, as Apollo hashes a query', () => {
      for (const operation of operations) expect(operation.id).toBe(operationId(operation.body));
      expect(operationId('{ __typename }')).toBe(
        // sha256('{ __typename }'), as `printf '{ __typename }' | sha256sum` prints it
        '7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b',
      );
    });

    it('reads back as a valid Apollo persisted query manifest', () => {
      const manifest = buildManifest(operations);
      expect(parseManifest(JSON.parse(serializeManifest(manifest)))).toEqual(manifest);
      expect(manifest).toMatchObject({ format: 'apollo-persisted-query-manifest', version: 1 });
    });
  });

  describe('when the sources have problems', () => {
    it('lists every one of them with where it is', () => {
      const sources = graphqlBlocksOf(
        [
          '```graphql',
          '{ catchments { id } }',
          '```',
          '```graphql',
          'query All { catchments { id } }',
          'query All { catchments { name } }',
          '```',
          '```graphql',
          'query Wrong { catchments { population } }',
          '```',
          '```graphql',
          'query Broken {',
          '```',
        ].join('\n'),
        'guide.md',
      );
      let error: unknown;
      try {
        manifestOperations(sources, schema);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ManifestError);
      expect((error as ManifestError).problems).toEqual([
        'guide.md:2: an operation without a name (name every operation)',
        'guide.md:5: All is also defined at guide.md:5 (names are unique)',
        expect.stringMatching(/^guide\.md:9: Wrong: Cannot query field "population"/),
        expect.stringMatching(/^guide\.md:12: Syntax Error/),
      ]);
    });
  });

  describe('when checking a committed manifest', () => {
    const manifest = buildManifest(manifestOperations(graphqlBlocksOf(guide, 'guide.md'), schema));

    it('finds nothing to say about the manifest the sources give', () => {
      expect(manifestDrift(serializeManifest(manifest), manifest)).toEqual([]);
    });

    it('names operations added, changed and removed since it was written', () => {
      const stale = buildManifest([
        { ...manifest.operations[0]!, body: 'query One { catchments { id } }' },
        { ...manifest.operations[2]!, name: 'Gone' },
      ]);
      stale.operations[0]!.id = operationId(stale.operations[0]!.body);
      expect(manifestDrift(serializeManifest(stale), manifest)).toEqual([
        'One has changed',
        'Rename is missing from the manifest',
        'All is missing from the manifest',
        'Gone is no longer in the sources',
      ]);
    });

    it('reports a missing, unreadable or reformatted file', () => {
      expect(manifestDrift(null, manifest)).toEqual(['the manifest file is missing']);
      expect(manifestDrift('{', manifest)[0]).toMatch(/^the committed manifest cannot be read/);
      expect(manifestDrift(JSON.stringify(manifest), manifest)).toEqual([
        'the manifest file is not in its generated form (order or formatting)',
      ]);
    });
  });

  describe('`npm run trusted-documents -- --check`', () => {
    const run = (...args: string[]) =>
      promisify(execFile)('npx', ['tsx', 'gateway/scripts/trusted-documents.ts', ...args], {
        cwd: root,
      }).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );

    it('passes on the committed manifest', async () => {
      const result = await run('--check');
      expect(result).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/trusted documents are up to date/),
      });
    });

    it('fails on a manifest that misses an operation of the API guide, and names it', async () => {
      const committed = JSON.parse(readFileSync(join(root, 'gateway', 'trusted-documents.json'), 'utf8'));
      committed.operations = committed.operations.filter((o: { name: string }) => o.name !== 'Network');
      const stale = join(mkdtempSync(join(tmpdir(), 'ies-manifest-')), 'trusted-documents.json');
      writeFileSync(stale, serializeManifest(committed));
      const result = await run('--check', '--manifest', stale);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('is stale: run `npm run trusted-documents`');
      expect(result.stderr).toContain('Network is missing from the manifest');
    });
  });
});

describe('Trusted documents verdict', () => {
  it.each([
    ['off', false, 'PROVIDER', 'run'],
    ['audit', false, 'PROVIDER', 'log'],
    ['audit', true, 'PROVIDER', 'run'],
    ['require', true, 'PUBLIC', 'run'],
    ['require', false, 'PUBLIC', 'refuse'],
    ['require', false, 'PARTNER', 'refuse'],
    ['require', false, 'SSM', 'refuse'],
    ['require', false, 'MINISTRY', 'run'],
    ['audit', false, 'MINISTRY', 'run'],
  ] as const)('in %s mode, a listed=%s operation from %s: %s', (mode, listed, role, verdict) => {
    expect(trustedDocumentVerdict(mode, listed, role)).toBe(verdict);
  });
});
