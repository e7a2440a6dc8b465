import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

/** One trusted operation: its id is the SHA-256 (hex) of its body, as Apollo's APQ hashes a query. */
export interface ManifestOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

/** Apollo's persisted query manifest (the shape Apollo's client tooling reads and writes). */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  operations: ManifestOperation[];
}

export const operationId = (body: string) => createHash('sha256').update(body).digest('hex');

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/),
      name: z.string().min(1),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

/** Reads a manifest, refusing one whose ids are not the hashes of their bodies. */
export function parseManifest(json: unknown): Manifest {
  const manifest = manifestSchema.parse(json);
  const wrong = manifest.operations.filter((o) => o.id !== operationId(o.body)).map((o) => o.name);
  if (wrong.length) throw new Error(`manifest ids are not the SHA-256 of their bodies: ${wrong.join(', ')}`);
  return manifest;
}

/** The manifest as the gateway consults it: is this hash listed, and what body does an id stand for. */
export class TrustedDocuments {
  private readonly bodies: ReadonlyMap<string, string>;

  constructor(manifest: Manifest) {
    this.bodies = new Map(manifest.operations.map((o) => [o.id, o.body]));
  }

  get size(): number {
    return this.bodies.size;
  }

  has(id: string | undefined): boolean {
    return id !== undefined && this.bodies.has(id);
  }

  bodyOf(id: string): string | undefined {
    return this.bodies.get(id);
  }
}

export function loadTrustedDocuments(path: string): TrustedDocuments {
  return new TrustedDocuments(parseManifest(JSON.parse(readFileSync(path, 'utf8'))));
}
