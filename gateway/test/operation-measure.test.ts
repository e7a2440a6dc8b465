import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { MAX_PAGE_SIZE } from '@ies/subgraph-kit';
import { Kind, buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { limitExceeded, type OperationLimits } from '../src/operation-limits';
import { ASSUMED_SIZES, INTROSPECTION_COST, measureOperation } from '../src/operation-measure';

const schema = buildSchema(`
  type Site { id: ID! name: String }
  type Provider { id: ID! name: String sites: [Site!]! }
  type ProviderEdge { cursor: String! node: Provider! }
  type ProviderConnection { totalCount: Int! edges: [ProviderEdge!]! }
  type Query {
    provider(id: ID!): Provider
    providers(first: Int, after: String): ProviderConnection!
    recent(last: Int = 5): ProviderConnection!
  }
  type Mutation { touch(id: ID!): Provider }
`);

const sizes = { pageSize: 100, listSize: 10 };

/** Measures the document's only (or named) operation against the test schema. */
function measure(query: string, variables: Record<string, unknown> = {}, name?: string) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (name === undefined || d.name?.value === name),
  )!;
  return measureOperation(document, operation, schema, variables, sizes);
}

describe('Operation measure', () => {
  describe('cost', () => {
    it('counts each field once when nothing is a list', () => {
      expect(measure('{ provider(id: "p") { id name } }').cost).toBe(3);
    });

    it('multiplies what is under a paged field by its `first`', () => {
      // providers 1 + 10 × (edges 1 + node 1 + id 1 + name 1)
      expect(measure('{ providers(first: 10) { edges { node { id name } } } }').cost).toBe(41);
    });

    it('reads `first` from a variable', () => {
      const query = 'query($n: Int) { providers(first: $n) { edges { node { id } } } }';
      expect(measure(query, { n: 2 }).cost).toBe(1 + 2 * 3);
      expect(measure(query, { n: 50 }).cost).toBe(1 + 50 * 3);
    });

    it('assumes the largest page when `first` is absent or its variable unset', () => {
      expect(measure('{ providers { edges { node { id } } } }').cost).toBe(1 + 100 * 3);
      expect(measure('query($n: Int) { providers(first: $n) { totalCount } }').cost).toBe(1 + 100);
    });

    it("uses the schema's default page size when the argument declares one", () => {
      expect(measure('{ recent { edges { node { id } } } }').cost).toBe(1 + 5 * 3);
    });

    it('multiplies nested lists: a page of providers, each with its sites', () => {
      // providers 1 + 10 × (edges 1 + node 1 + sites 1 + 10 sites × id 1)
      expect(measure('{ providers(first: 10) { edges { node { sites { id } } } } }').cost).toBe(
        1 + 10 * (3 + 10),
      );
    });

    it('counts every alias of the same field', () => {
      const one = measure('{ providers(first: 100) { edges { node { id name } } } }').cost;
      const aliases = Array.from(
        { length: 300 },
        (_, i) => `a${i}: providers(first: 100) { edges { node { id name } } }`,
      );
      expect(measure(`{ ${aliases.join(' ')} }`).cost).toBe(300 * one);
    });

    it('counts a fragment each time it is spread, times the page above the spread', () => {
      const query = `
        { providers(first: 10) { edges { node { ...P } } } provider(id: "x") { ...P } }
        fragment P on Provider { id name }`;
      // providers 1 + 10 × (edges 1 + node 1 + 2) + provider 1 + 2
      expect(measure(query).cost).toBe(1 + 10 * 4 + 3);
    });

    it('follows inline fragments and nested fragments', () => {
      const query = `
        { providers(first: 2) { ...C } }
        fragment C on ProviderConnection { edges { ... on ProviderEdge { node { ...P } } } }
        fragment P on Provider { id }`;
      expect(measure(query).cost).toBe(1 + 2 * 3);
    });

    it('counts __typename as free', () => {
      expect(measure('{ __typename provider(id: "p") { __typename id } }').cost).toBe(2);
    });

    it('costs each __schema and __type selection a fixed INTROSPECTION_COST, whatever it selects', () => {
      expect(measure('{ __schema { types { name fields { name } } } }').cost).toBe(INTROSPECTION_COST);
      expect(
        measure('{ a: __type(name: "Provider") { name } b: __schema { queryType { name } } }').cost,
      ).toBe(2 * INTROSPECTION_COST);
      const spread = '{ ...I ...I } fragment I on Query { __schema { types { name } } }';
      expect(measure(spread).cost).toBe(2 * INTROSPECTION_COST);
    });
  });

  describe('introspection fields, as aliases and root fields', () => {
    it('counts aliases of __typename and __schema like any other', () => {
      const query = `{ a: __typename b: __typename c: __schema { types { n: name } } provider(id: "p") { t: __typename } }`;
      expect(measure(query)).toMatchObject({ aliases: 5, rootFields: 4 });
    });

    it('counts them through fragments, each time a fragment is spread', () => {
      const query = '{ ...T ...T } fragment T on Query { a: __typename b: __typename }';
      expect(measure(query)).toMatchObject({ aliases: 4, rootFields: 4, cost: 0 });
    });
  });

  describe('aliases and root fields', () => {
    it('counts aliased fields through fragments, each time a fragment is spread', () => {
      const query = `
        { a: provider(id: "a") { ...P } b: provider(id: "b") { ...P } }
        fragment P on Provider { x: id y: name }`;
      expect(measure(query).aliases).toBe(2 + 2 * 2);
    });

    it('counts root fields, fragments spread at the root included, nested fields not', () => {
      const query = `
        { provider(id: "a") { id name } ...Roots ... on Query { c: provider(id: "c") { id } } }
        fragment Roots on Query { a: providers { totalCount } b: providers { totalCount } }`;
      expect(measure(query).rootFields).toBe(4);
    });

    it('measures the named operation of a document that holds several', () => {
      const query = `
        query One { provider(id: "a") { id } }
        mutation Two { a: touch(id: "a") { id } b: touch(id: "b") { id } }`;
      expect(measure(query, {}, 'Two')).toEqual({ cost: 4, aliases: 2, rootFields: 2 });
    });
  });

  describe('hostile documents', () => {
    it('stays linear on a chain of fragments that each spread the next twice', () => {
      const n = 400;
      const fragments = Array.from({ length: n }, (_, i) =>
        i === n - 1
          ? `fragment F${i} on Provider { id }`
          : `fragment F${i} on Provider { a${i}: sites { id } ...F${i + 1} ...F${i + 1} }`,
      );
      const result = measure(`{ provider(id: "p") { ...F0 } }\n${fragments.join('\n')}`);
      // 2^399 paths: the counts saturate instead of becoming Infinity or taking forever.
      expect(result.cost).toBe(Number.MAX_SAFE_INTEGER);
      expect(result.aliases).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('does not loop on a cycle of fragments (validation refuses it; the measure must still end)', () => {
      const query = `
        { provider(id: "p") { ...A } }
        fragment A on Provider { id ...B }
        fragment B on Provider { name ...A }`;
      expect(measure(query)).toEqual({ cost: 3, aliases: 0, rootFields: 1 });
    });

    it('settles a long chain of fragments without overflowing the stack', () => {
      const n = 20_000;
      const fragments = Array.from({ length: n }, (_, i) =>
        i === n - 1 ? `fragment F${i} on Provider { id }` : `fragment F${i} on Provider { ...F${i + 1} }`,
      );
      expect(measure(`{ provider(id: "p") { ...F0 } }\n${fragments.join('\n')}`).cost).toBe(2);
    });

    it('gives unknown fields and types (an invalid document) a cost of 1 each instead of failing', () => {
      expect(measure('{ nothing { here { at(first: 1000) { all } } } }').cost).toBe(4);
    });
  });

  describe('against the supergraph', () => {
    const supergraph = Supergraph.build(
      readFileSync(join(__dirname, '..', 'supergraph.graphql'), 'utf8'),
    ).apiSchema();
    const api = supergraph.toGraphQLJSSchema();

    it("assumes the subgraphs' largest page size", () => {
      expect(ASSUMED_SIZES.pageSize).toBe(MAX_PAGE_SIZE);
    });

    it('prices the issue’s 300 aliases of `serviceProviders(first: 100)` far above any role', () => {
      const aliases = Array.from(
        { length: 300 },
        (_, i) => `a${i}: serviceProviders(first: 100) { edges { node { id organizationName } } }`,
      );
      const document = parse(`{ ${aliases.join(' ')} }`);
      const operation = document.definitions[0] as OperationDefinitionNode;
      expect(measureOperation(document, operation, api, {}, ASSUMED_SIZES)).toEqual({
        cost: 300 * (1 + 100 * 4),
        aliases: 300,
        rootFields: 300,
      });
    });
  });
});

describe('Operation limits', () => {
  const limits: OperationLimits = {
    ...sizes,
    maxAliases: 30,
    maxRootFields: 15,
    maxCost: { MINISTRY: 50_000, SSM: 25_000, PROVIDER: 10_000, PARTNER: 10_000, PUBLIC: 5_000 },
  };

  it('allows an operation within every limit', () => {
    expect(limitExceeded({ cost: 5_000, aliases: 30, rootFields: 15 }, 'PUBLIC', limits)).toBeNull();
  });

  it('refuses a cost over the role’s limit with the limit and the measured cost', () => {
    const measure = { cost: 12_000, aliases: 0, rootFields: 1 };
    expect(limitExceeded(measure, 'MINISTRY', limits)).toBeNull();
    const error = limitExceeded(measure, 'PUBLIC', limits)!;
    expect(error.message).toBe('Operation costs 12000; the limit for PUBLIC callers is 5000');
    expect(error.extensions).toEqual({
      code: 'OPERATION_TOO_COSTLY',
      limit: 5_000,
      actual: 12_000,
      http: { status: 400 },
    });
  });

  it('refuses too many aliases, whatever the role', () => {
    const error = limitExceeded({ cost: 1, aliases: 31, rootFields: 1 }, 'MINISTRY', limits)!;
    expect(error.extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', limit: 30, actual: 31 });
  });

  it('names the aliases first when an operation is over several limits (the issue’s 300 aliases)', () => {
    const error = limitExceeded({ cost: 120_300, aliases: 300, rootFields: 300 }, 'PUBLIC', limits)!;
    expect(error.extensions.code).toBe('TOO_MANY_ALIASES');
  });

  it('refuses too many root fields, whatever the role', () => {
    const error = limitExceeded({ cost: 1, aliases: 0, rootFields: 16 }, 'MINISTRY', limits)!;
    expect(error.extensions).toMatchObject({ code: 'TOO_MANY_ROOT_FIELDS', limit: 15, actual: 16 });
  });
});
