import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

const SHARED = 'shared.graphql';
// Next to this file in sources; next to the bundle in dist/ (infra/scripts/bundle.mjs copies it).
const SHARED_SDL = join(__dirname, SHARED);

/**
 * Reads the shared SDL (federation link, scalars, shareable types) and every `*.graphql` file of a
 * service's modules, in a stable order, as one document.
 */
export function loadTypeDefs(srcDir: string): DocumentNode {
  const files = (readdirSync(srcDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.graphql') && basename(f) !== SHARED)
    .sort()
    .map((f) => join(srcDir, f));
  return parse([SHARED_SDL, ...files].map((f) => readFileSync(f, 'utf8')).join('\n'));
}
