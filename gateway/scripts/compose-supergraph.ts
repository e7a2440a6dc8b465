/**
 * Composes the supergraph from every subgraph's SDL files and writes gateway/supergraph.graphql.
 * With --check, fails when composition fails or the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { loadTypeDefs } from '@ies/subgraph-kit';
import { SUBGRAPHS } from '../src/subgraphs';

const root = resolve(__dirname, '..', '..');
const target = join(root, 'gateway', 'supergraph.graphql');
const check = process.argv.includes('--check');

const result = composeServices(
  SUBGRAPHS.map((s) => ({
    name: s.name,
    url: s.defaultUrl,
    typeDefs: loadTypeDefs(join(root, s.sourceDir)),
  })),
);
if (result.errors) {
  console.error(`supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  process.exit(1);
}
const sdl = `${result.supergraphSdl.trim()}\n`;
if (check) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (committed !== sdl) {
    console.error('gateway/supergraph.graphql is stale: run `npm run compose` and commit the result');
    process.exit(1);
  }
  console.log(`supergraph is up to date (${SUBGRAPHS.map((s) => s.name).join(', ')})`);
} else {
  writeFileSync(target, sdl);
  console.log(`wrote ${target} (${SUBGRAPHS.map((s) => s.name).join(', ')})`);
}
