import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/** Reads every `*.graphql` file of a service's modules, in a stable order, as one document. */
export function loadTypeDefs(srcDir: string): DocumentNode {
  const files = (readdirSync(srcDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.graphql'))
    .sort();
  return parse(files.map((f) => readFileSync(join(srcDir, f), 'utf8')).join('\n'));
}
