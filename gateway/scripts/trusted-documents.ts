/**
 * Writes gateway/trusted-documents.json (Apollo's persisted query manifest) from the operations of the
 * first-party front-ends and partners: every ```graphql block of docs/api-guide.md and every
 * gateway/operations/*.graphql file, each operation validated against the supergraph's API schema and
 * the gateway's subscriptions.
 * With --check, fails when the committed manifest is stale. `--manifest <path>` reads or writes another
 * file.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { extendSchema, parse } from 'graphql';
import { loadTypeDefs } from '@ies/subgraph-kit';
import { SUBGRAPHS } from '../src/subgraphs';
import { subscriptionSdl } from '../src/subscriptions/subscription-sdl';
import {
  ManifestError,
  buildManifest,
  graphqlBlocksOf,
  manifestDrift,
  manifestOperations,
  serializeManifest,
  type OperationSource,
} from '../src/trusted-documents/extract-operations';

const root = resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const manifestArg = args.indexOf('--manifest');
const target =
  manifestArg >= 0 ? resolve(args[manifestArg + 1] ?? '') : join(root, 'gateway', 'trusted-documents.json');
const show = (path: string) => relative(root, path);

function sources(): OperationSource[] {
  const guide = join(root, 'docs', 'api-guide.md');
  const operationsDir = join(root, 'gateway', 'operations');
  const files = readdirSync(operationsDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => join(operationsDir, f));
  return [
    ...graphqlBlocksOf(readFileSync(guide, 'utf8'), show(guide)),
    ...files.map((file) => ({ origin: show(file), text: readFileSync(file, 'utf8') })),
  ];
}

function apiSchema() {
  const result = composeServices(
    SUBGRAPHS.map((s) => ({
      name: s.name,
      url: s.defaultUrl,
      typeDefs: loadTypeDefs(join(root, s.sourceDir)),
    })),
  );
  if (result.errors) {
    console.error(
      `supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`,
    );
    process.exit(1);
  }
  // With the gateway's own Subscription type (ADR 0020): subscriptions are trusted documents too.
  const api = result.schema.toAPISchema().toGraphQLJSSchema();
  return extendSchema(api, parse(subscriptionSdl((typename) => api.getType(typename) !== undefined)));
}

let manifest;
try {
  manifest = buildManifest(manifestOperations(sources(), apiSchema()));
} catch (error) {
  if (!(error instanceof ManifestError)) throw error;
  console.error(error.message);
  process.exit(1);
}
if (check) {
  let committed: string | null = null;
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing: reported as drift
  }
  const drift = manifestDrift(committed, manifest);
  if (drift.length) {
    console.error(
      `${show(target)} is stale: run \`npm run trusted-documents\` and commit the result\n` +
        drift.map((d) => `  - ${d}`).join('\n'),
    );
    process.exit(1);
  }
  console.log(`trusted documents are up to date (${manifest.operations.length} operations)`);
} else {
  writeFileSync(target, serializeManifest(manifest));
  console.log(`wrote ${show(target)} (${manifest.operations.length} operations)`);
}
