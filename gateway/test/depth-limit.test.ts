import {
  buildSchema,
  parse,
  specifiedRules,
  validate,
  type ASTVisitor,
  type ValidationContext,
} from 'graphql';
import { depthLimit } from '../src/depth-limit';

const schema = buildSchema(`
  type Node { id: ID! child: Node }
  type Query { node: Node }
`);

/** A chain of fragments where each spreads the next twice: 2^n paths, n + 1 definitions. */
function fragmentBomb(n: number): string {
  const fragments = Array.from({ length: n }, (_, i) =>
    i === n - 1
      ? `fragment F${i} on Node { id }`
      : `fragment F${i} on Node { child { ...F${i + 1} } child { ...F${i + 1} } }`,
  );
  return `{ node { ...F0 } }\n${fragments.join('\n')}`;
}

/** Counts how often the rule reads a selection set's `selections` (its work), through a proxy. */
function countingRule(maxDepth: number) {
  let visits = 0;
  const rule = (context: ValidationContext): ASTVisitor => {
    const counted = new Proxy(context, {
      get(target, key) {
        if (key === 'getDocument') {
          return () => countSelections(target.getDocument(), () => visits++);
        }
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return depthLimit(maxDepth)(counted);
  };
  return { rule, visits: () => visits };
}

/** A copy of the document whose selection sets count each read of their selections. */
function countSelections<T>(node: T, onVisit: () => void): T {
  const cache = new Map<object, unknown>();
  const wrap = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(wrap);
    if (!value || typeof value !== 'object') return value;
    if (cache.has(value)) return cache.get(value);
    const copy: Record<string, unknown> = {};
    cache.set(value, copy);
    for (const [key, child] of Object.entries(value)) {
      if (key === 'selections') {
        const wrapped = wrap(child);
        Object.defineProperty(copy, key, {
          enumerable: true,
          get: () => {
            onVisit();
            return wrapped;
          },
        });
      } else if (key !== 'loc') {
        copy[key] = wrap(child);
      }
    }
    return copy;
  };
  return wrap(node) as T;
}

describe('depthLimit', () => {
  it('refuses an ordinary query deeper than the limit, with its message and code', () => {
    const errors = validate(schema, parse(`{ node { child { child { child { id } } } } }`), [depthLimit(4)]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('Operation is 5 levels deep; the limit is 4');
    expect(errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(validate(schema, parse(`{ node { child { child { id } } } }`), [depthLimit(4)])).toEqual([]);
  });

  it('counts depth through fragments and inline fragments, ignoring introspection fields', () => {
    const document = parse(`
      { node { ...A } __typename }
      fragment A on Node { child { ... on Node { child { ...B } } } }
      fragment B on Node { child { id __typename } }
    `);
    expect(validate(schema, document, [depthLimit(5)])).toEqual([]);
    expect(validate(schema, document, [depthLimit(4)])[0]!.message).toBe(
      'Operation is 5 levels deep; the limit is 4',
    );
  });

  it('walks each fragment once however often it is spread (linear, not 2^n)', () => {
    const small = countingRule(1000);
    expect(validate(schema, parse(fragmentBomb(10)), [small.rule])).toEqual([]);
    const large = countingRule(1000);
    expect(validate(schema, parse(fragmentBomb(20)), [large.rule])).toEqual([]);
    // One visit per selection set, plus a constant: twice the fragments, about twice the visits.
    expect(large.visits()).toBeLessThanOrEqual(3 * 20 + 5);
    expect(large.visits()).toBeLessThanOrEqual(2 * small.visits() + 5);
  });

  it('reports the depth of a fragment bomb deeper than the limit', () => {
    const errors = validate(schema, parse(fragmentBomb(20)), [depthLimit(10)]);
    expect(errors.map((e) => e.message)).toEqual(['Operation is 21 levels deep; the limit is 10']);
  });

  it('neither loops nor overflows on fragment cycles; NoFragmentCycles reports them', () => {
    const document = parse(`
      { node { ...A } }
      fragment A on Node { child { ...B } }
      fragment B on Node { child { ...A } id }
      fragment C on Node { ...C }
    `);
    expect(validate(schema, document, [depthLimit(10)])).toEqual([]);
    const messages = validate(schema, document, [...specifiedRules, depthLimit(10)]).map((e) => e.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/Cannot spread fragment "A"/)]));
  });

  it('follows a long chain of spreads without overflowing the call stack', () => {
    const n = 30_000;
    const chain = Array.from({ length: n }, (_, i) =>
      i === n - 1 ? `fragment F${i} on Node { id }` : `fragment F${i} on Node { ...F${i + 1} }`,
    );
    const errors = validate(schema, parse(`{ node { ...F0 } }\n${chain.join('\n')}`), [depthLimit(12)]);
    expect(errors).toEqual([]);
  });
});
