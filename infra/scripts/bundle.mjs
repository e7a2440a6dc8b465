// `npm run build` for a service: bundles each entry (our workspace packages included, third-party
// packages left as imports) into dist/ for the production image.
import { build } from 'esbuild';
import { cpSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const entries = process.argv.slice(2);
if (entries.length === 0) {
  console.error('usage: bundle.mjs <entry.ts>…');
  process.exit(2);
}
await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-third-party',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@ies/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
// The schema files are read at start-up from next to the code, the shared SDL included.
cpSync(
  join(import.meta.dirname, '../../packages/subgraph-kit/src/shared.graphql'),
  join('dist', 'shared.graphql'),
);
for (const file of readdirSync('src', { recursive: true }).filter((f) => f.endsWith('.graphql'))) {
  cpSync(join('src', file), join('dist', file), { recursive: true });
}
console.log(`bundled ${entries.map((e) => basename(e)).join(', ')} into dist/`);
