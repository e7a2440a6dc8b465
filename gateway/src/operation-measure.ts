import {
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** What an operation asks for, as the gateway's limits weigh it. */
export interface OperationMeasure {
  /**
   * Every field costs 1; the fields under a paged field count once per item of the page it asks for
   * (`first`/`last`), and under any other list once per `listSize` items. Aliases and fragments count
   * each time they are selected. `__typename` is free; `__schema` and `__type` cost `INTROSPECTION_COST`.
   */
  cost: number;
  /**
   * Aliased fields, each time they are selected (a fragment spread twice counts its aliases twice),
   * introspection fields included.
   */
  aliases: number;
  /** Fields of the root selection set, fragments and inline fragments included (`__typename` too). */
  rootFields: number;
}

export interface MeasureOptions {
  /** Items assumed for a paged field whose page size the operation does not give (the largest page). */
  pageSize: number;
  /** Items assumed for a list that takes no page size (a provider's sites, a catchment's zones). */
  listSize: number;
}

/**
 * The sizes assumed when an operation does not give one: the largest page a paged field serves (the
 * subgraphs' `MAX_PAGE_SIZE`, a test keeps them equal) and a guess for lists without paging.
 */
export const ASSUMED_SIZES: MeasureOptions = { pageSize: 100, listSize: 10 };

/**
 * What one `__schema` or `__type` selection costs, whatever it selects: a full introspection answer of
 * the supergraph is about 40 KB and a few milliseconds of the gateway's own event loop, so a public
 * caller (limit 5,000) gets a handful per operation, never hundreds.
 */
export const INTROSPECTION_COST = 1_000;

/** Arguments that set how many items a paged field returns. */
const PAGE_ARGUMENTS = ['first', 'last'];

/** What one selection set holds of its own, and the fragments it spreads (with the multiplier above each). */
interface Shape {
  cost: number;
  aliases: number;
  rootFields: number;
  spreads: { name: string; factor: number; atTop: boolean }[];
}

/** Costs add up without overflowing into nonsense: a doubling chain of fragments saturates. */
const saturate = (value: number) => Math.min(value, Number.MAX_SAFE_INTEGER);

function pageSizeOf(
  node: FieldNode,
  field: GraphQLField<unknown, unknown>,
  variables: Record<string, unknown>,
  options: MeasureOptions,
): number | null {
  let size: number | null = null;
  for (const name of PAGE_ARGUMENTS) {
    const definition = field.args.find((arg) => arg.name === name);
    if (!definition) continue;
    const given = node.arguments?.find((arg) => arg.name.value === name)?.value;
    const value = given ? intValue(given, variables) : undefined;
    const resolved =
      value ?? (typeof definition.defaultValue === 'number' ? definition.defaultValue : options.pageSize);
    size = Math.max(size ?? 0, Math.max(0, resolved));
  }
  return size;
}

/** An Int argument's value: a literal, or a variable's (already coerced, defaults applied). */
function intValue(value: ValueNode, variables: Record<string, unknown>): number | undefined {
  if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return typeof given === 'number' && Number.isFinite(given) ? given : undefined;
  }
  return undefined;
}

/** How many times the selections under `field` run per selection of the field itself. */
function multiplierOf(
  node: FieldNode,
  parent: GraphQLNamedType | undefined,
  field: GraphQLField<unknown, unknown> | undefined,
  variables: Record<string, unknown>,
  options: MeasureOptions,
): number {
  if (!field) return 1;
  const page = pageSizeOf(node, field, variables, options);
  if (page !== null) return page;
  if (!isListType(getNullableType(field.type))) return 1;
  // A connection's `edges`/`nodes` list is the page its field already counted.
  if (parent?.name.endsWith('Connection')) return 1;
  return options.listSize;
}

function shapeOf(
  set: SelectionSetNode,
  type: GraphQLNamedType | undefined,
  schema: GraphQLSchema,
  variables: Record<string, unknown>,
  options: MeasureOptions,
): Shape {
  const shape: Shape = { cost: 0, aliases: 0, rootFields: 0, spreads: [] };
  const walk = (
    selections: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    factor: number,
    atTop: boolean,
  ) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        // Introspection fields count as root fields and aliases like any other field: 2000 aliases of
        // `__typename` or 300 of `__schema` are as hostile as any others.
        if (atTop) shape.rootFields += 1;
        if (selection.alias) shape.aliases += 1;
        const name = selection.name.value;
        if (name.startsWith('__')) {
          // `__typename` is read from what is fetched anyway: free. `__schema` and `__type` are answered
          // by the gateway from its schema: a fixed cost, and their selections are walked at no cost
          // for their aliases only (300 aliases inside one `__schema` are 300 aliases).
          if (name === '__typename') continue;
          shape.cost = saturate(shape.cost + saturate(factor * INTROSPECTION_COST));
          if (selection.selectionSet) walk(selection.selectionSet, undefined, 0, false);
          continue;
        }
        shape.cost = saturate(shape.cost + factor);
        const field =
          parent && (isObjectType(parent) || isInterfaceType(parent))
            ? parent.getFields()[selection.name.value]
            : undefined;
        if (selection.selectionSet) {
          const multiplier = multiplierOf(selection, parent, field, variables, options);
          const child = field ? getNamedType(field.type) : undefined;
          walk(selection.selectionSet, child, saturate(factor * multiplier), false);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        walk(selection.selectionSet, condition ?? undefined, factor, atTop);
      } else {
        shape.spreads.push({ name: selection.name.value, factor, atTop });
      }
    }
  };
  walk(set, type, 1, true);
  return shape;
}

/**
 * Measures one operation of a document: its cost, aliases and root fields (see `OperationMeasure`).
 *
 * Linear in the document's size: what a fragment adds does not depend on where it is spread (only the
 * multiplier above the spread does), so each fragment is walked once and its measure remembered.
 * Fragments are settled with an explicit stack (a long chain cannot overflow the call stack), and a
 * spread that closes a cycle adds nothing: validation refuses cycles, this only must not loop on one.
 */
export function measureOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
  variables: Record<string, unknown>,
  options: MeasureOptions,
): OperationMeasure {
  const shapes = new Map<string, Shape>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION && !shapes.has(def.name.value)) {
      const type = schema.getType(def.typeCondition.name.value) ?? undefined;
      shapes.set(def.name.value, shapeOf(def.selectionSet, type, schema, variables, options));
    }
  }
  const measures = new Map<string, OperationMeasure>();
  const resolving = new Set<string>();
  const combine = (shape: Shape): OperationMeasure => {
    const total = { cost: shape.cost, aliases: shape.aliases, rootFields: shape.rootFields };
    for (const spread of shape.spreads) {
      const below = measures.get(spread.name);
      if (!below) continue;
      total.cost = saturate(total.cost + saturate(spread.factor * below.cost));
      total.aliases = saturate(total.aliases + below.aliases);
      if (spread.atTop) total.rootFields = saturate(total.rootFields + below.rootFields);
    }
    return total;
  };

  /** Settles the measure of `root` and every fragment below it, innermost first, without recursion. */
  const resolve = (root: string) => {
    if (measures.has(root) || !shapes.has(root)) return;
    const stack = [{ name: root, next: 0 }];
    resolving.add(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const spreads = shapes.get(frame.name)!.spreads;
      if (frame.next < spreads.length) {
        const { name } = spreads[frame.next++]!;
        if (shapes.has(name) && !measures.has(name) && !resolving.has(name)) {
          resolving.add(name);
          stack.push({ name, next: 0 });
        }
        continue;
      }
      stack.pop();
      measures.set(frame.name, combine(shapes.get(frame.name)!));
      resolving.delete(frame.name);
    }
  };

  const rootType = schema.getRootType(operation.operation) ?? undefined;
  const shape = shapeOf(operation.selectionSet, rootType, schema, variables, options);
  for (const spread of shape.spreads) resolve(spread.name);
  return combine(shape);
}
