import {
  Kind,
  parse,
  print,
  validate,
  visit,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import {
  MANIFEST_FORMAT,
  operationId,
  parseManifest,
  type Manifest,
  type ManifestOperation,
} from './manifest';

/** GraphQL text and where it was found (`docs/api-guide.md:54`), for messages that point at it. */
export interface OperationSource {
  origin: string;
  text: string;
}

/** Every ```graphql block of a Markdown file, each with the line it starts on. */
export function graphqlBlocksOf(markdown: string, file: string): OperationSource[] {
  const blocks: OperationSource[] = [];
  for (const match of markdown.matchAll(/^[ \t]*```graphql\n([\s\S]*?)^[ \t]*```/gm)) {
    const line = markdown.slice(0, match.index).split('\n').length + 1;
    blocks.push({ origin: `${file}:${line}`, text: match[1]! });
  }
  return blocks;
}

/** Problems that keep a manifest from being built, all of them at once. */
export class ManifestError extends Error {
  constructor(readonly problems: string[]) {
    super(`the trusted documents cannot be built:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * One manifest operation per operation in the sources: its body is the operation printed with the
 * fragments it uses (from the same source), so a client sends exactly that text or its id. Every
 * operation must be named, names are unique, and each must validate against `schema` (the supergraph's
 * API schema) when given.
 */
export function manifestOperations(sources: OperationSource[], schema?: GraphQLSchema): ManifestOperation[] {
  const problems: string[] = [];
  const operations: ManifestOperation[] = [];
  const origins = new Map<string, string>();
  for (const source of sources) {
    let definitions: readonly DefinitionNode[];
    try {
      definitions = parse(source.text).definitions;
    } catch (error) {
      problems.push(`${source.origin}: ${(error as Error).message}`);
      continue;
    }
    const fragments = new Map(
      definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((f) => [f.name.value, f]),
    );
    for (const operation of definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )) {
      const name = operation.name?.value;
      if (!name) {
        problems.push(`${source.origin}: an operation without a name (name every operation)`);
        continue;
      }
      if (origins.has(name)) {
        problems.push(`${source.origin}: ${name} is also defined at ${origins.get(name)} (names are unique)`);
        continue;
      }
      origins.set(name, source.origin);
      const used = fragmentsUsedBy(operation, fragments);
      const document = { kind: Kind.DOCUMENT, definitions: [operation, ...used] } as const;
      if (schema) {
        for (const error of validate(schema, document))
          problems.push(`${source.origin}: ${name}: ${error.message}`);
      }
      const body = print(document);
      operations.push({ id: operationId(body), name, type: operation.operation, body });
    }
  }
  if (problems.length) throw new ManifestError(problems);
  return operations;
}

/** The fragments an operation spreads, directly or through other fragments, sorted by name. */
function fragmentsUsedBy(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  while (pending.length) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value));
}

export const buildManifest = (operations: ManifestOperation[]): Manifest => ({
  format: MANIFEST_FORMAT,
  version: 1,
  operations,
});

export const serializeManifest = (manifest: Manifest) => `${JSON.stringify(manifest, null, 2)}\n`;

/**
 * How a committed manifest differs from the one the sources give: one line per operation added,
 * removed or changed; empty when they are the same text.
 */
export function manifestDrift(committedText: string | null, built: Manifest): string[] {
  if (committedText === serializeManifest(built)) return [];
  if (committedText === null) return ['the manifest file is missing'];
  let committed: Manifest;
  try {
    committed = parseManifest(JSON.parse(committedText));
  } catch (error) {
    return [`the committed manifest cannot be read: ${(error as Error).message}`];
  }
  const before = new Map(committed.operations.map((o) => [o.name, o]));
  const after = new Map(built.operations.map((o) => [o.name, o]));
  const drift: string[] = [];
  for (const [name, operation] of after) {
    const old = before.get(name);
    if (!old) drift.push(`${name} is missing from the manifest`);
    else if (old.id !== operation.id) drift.push(`${name} has changed`);
  }
  for (const name of before.keys()) if (!after.has(name)) drift.push(`${name} is no longer in the sources`);
  return drift.length ? drift : ['the manifest file is not in its generated form (order or formatting)'];
}
