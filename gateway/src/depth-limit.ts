import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext } from 'graphql';

/** What one selection set holds: its own field depth, and each fragment it spreads with the fields above. */
interface Shape {
  depth: number;
  spreads: { name: string; above: number }[];
}

function shapeOf(set: SelectionSetNode): Shape {
  const shape: Shape = { depth: 0, spreads: [] };
  const walk = (selections: SelectionSetNode, above: number) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        shape.depth = Math.max(shape.depth, above + 1);
        if (selection.selectionSet) walk(selection.selectionSet, above + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, above);
      } else {
        shape.spreads.push({ name: selection.name.value, above });
      }
    }
  };
  walk(set, 0);
  return shape;
}

/**
 * Refuses operations nested deeper than `maxDepth` fields (fragments followed), so a hostile query
 * cannot fan out across subgraphs without bound.
 *
 * Linear in the document's size: the depth below a fragment does not depend on where it is spread, so
 * each fragment is walked once and its depth remembered (a chain of fragments that each spread the
 * next twice would otherwise cost 2^n). Fragments are resolved with an explicit stack, so a long chain
 * of spreads cannot overflow the call stack. A spread that closes a cycle counts 0: GraphQL's own
 * NoFragmentCycles rule reports the cycle, this rule only must not loop on it.
 */
export function depthLimit(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const shapes = new Map<string, Shape>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION && !shapes.has(def.name.value)) {
        shapes.set(def.name.value, shapeOf(def.selectionSet));
      }
    }
    const depths = new Map<string, number>();
    const resolving = new Set<string>();
    const combine = (shape: Shape) =>
      shape.spreads.reduce((max, s) => Math.max(max, s.above + (depths.get(s.name) ?? 0)), shape.depth);

    /** Settles the depth of `root` and every fragment below it, deepest first, without recursion. */
    const resolve = (root: string) => {
      if (depths.has(root) || !shapes.has(root)) return;
      const stack = [{ name: root, next: 0 }];
      resolving.add(root);
      while (stack.length > 0) {
        const frame = stack[stack.length - 1]!;
        const spreads = shapes.get(frame.name)!.spreads;
        if (frame.next < spreads.length) {
          const { name } = spreads[frame.next++]!;
          if (shapes.has(name) && !depths.has(name) && !resolving.has(name)) {
            resolving.add(name);
            stack.push({ name, next: 0 });
          }
          continue;
        }
        stack.pop();
        depths.set(frame.name, combine(shapes.get(frame.name)!));
        resolving.delete(frame.name);
      }
    };

    return {
      OperationDefinition(node) {
        const shape = shapeOf(node.selectionSet);
        for (const spread of shape.spreads) resolve(spread.name);
        const depth = combine(shape);
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`Operation is ${depth} levels deep; the limit is ${maxDepth}`, {
              nodes: [node],
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
          );
        }
      },
    };
  };
}
