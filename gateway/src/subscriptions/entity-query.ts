import {
  Kind,
  isAbstractType,
  isObjectType,
  print,
  visit,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

/** The variable holding the event's subject id in every entity query (not a name a subscriber picks). */
export const SUBJECT_ID_VARIABLE = 'ies_subjectId';

/** The response key probing visibility when the subscriber selected nothing of the entity. */
export const VISIBILITY_PROBE = 'ies_visible';

/** One query through the supergraph that reads an event's subject the way the subscriber selected it. */
export interface EntityQuery {
  query: string;
  operationName: string;
  /** The subscriber's variables the query uses (their definitions are copied from the subscription). */
  variableNames: string[];
  /** Response keys of the entity field in the payload, each the alias of one root lookup in `query`. */
  responseKeys: string[];
}

export interface EntityQueryInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  /** The subscription field's nodes (`disputeEscalated { event { id } dispute { status } }`). */
  payloadFieldNodes: readonly FieldNode[];
  /** The payload's field holding the entity (`dispute`, or `subject` for `events`). */
  entityField: string;
  /** The subject's type, e.g. `Dispute`, and the root field that looks one up by id. */
  subjectTypename: string;
  lookupField: string;
  operationName: string;
}

/**
 * Builds `query($ies_subjectId: ID!) { <key>: dispute(id: $ies_subjectId) { …the subscriber's selection… } }`
 * from the subscriber's selection of the entity field: fragments inlined (the query carries no fragment
 * definitions), fragments that cannot apply to the subject's type dropped (the `events` field's union),
 * `__typename` added to every selection set so unions and interfaces resolve at the gateway. When the
 * subscriber selected nothing of the entity, the query still asks for its `__typename`: an event whose
 * subject the subscriber cannot read is never sent, selected or not.
 */
export function entityQuery(input: EntityQueryInput): EntityQuery {
  const groups = entitySelectionsByResponseKey(input);
  if (groups.size === 0) groups.set(VISIBILITY_PROBE, []);
  const used = new Set<string>();
  const lookups = [...groups].map(([key, selections]) => {
    const applicable = selections.filter((s) => appliesTo(s, input.subjectTypename, input.schema));
    const selectionSet = withTypenames({ kind: Kind.SELECTION_SET, selections: applicable });
    visit(selectionSet, { Variable: (v) => void used.add(v.name.value) });
    return `${key}: ${input.lookupField}(id: $${SUBJECT_ID_VARIABLE}) ${print(selectionSet)}`;
  });
  const body = lookups.join('\n');
  const variableNames = (input.operation.variableDefinitions ?? [])
    .map((d) => d.variable.name.value)
    .filter((name) => used.has(name));
  const definitions = (input.operation.variableDefinitions ?? [])
    .filter((d) => variableNames.includes(d.variable.name.value))
    .map((d) => print(d));
  const declared = [`$${SUBJECT_ID_VARIABLE}: ID!`, ...definitions].join(', ');
  return {
    query: `query ${input.operationName}(${declared}) {\n${body}\n}`,
    operationName: input.operationName,
    variableNames,
    responseKeys: [...groups.keys()],
  };
}

/** The entity field's selections in the payload, fragments inlined, merged by response key. */
function entitySelectionsByResponseKey(input: EntityQueryInput): Map<string, SelectionNode[]> {
  const groups = new Map<string, SelectionNode[]>();
  const walk = (selections: readonly SelectionNode[]) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== input.entityField) continue;
        const key = selection.alias?.value ?? selection.name.value;
        const inlined = inlineFragments(selection.selectionSet, input.fragments);
        groups.set(key, [...(groups.get(key) ?? []), ...(inlined?.selections ?? [])]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet.selections);
      } else {
        const fragment = input.fragments[selection.name.value];
        if (fragment) walk(fragment.selectionSet.selections);
      }
    }
  };
  for (const node of input.payloadFieldNodes) walk(node.selectionSet?.selections ?? []);
  return groups;
}

function inlineFragments(
  selectionSet: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
): SelectionSetNode | undefined {
  if (!selectionSet) return undefined;
  return visit(selectionSet, {
    FragmentSpread(spread) {
      const fragment = fragments[spread.name.value];
      if (!fragment) return null;
      return {
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: fragment.typeCondition,
        directives: spread.directives ?? [],
        selectionSet: fragment.selectionSet,
      };
    },
  });
}

/** Whether a top-level selection of the entity can apply to the subject's concrete type. */
function appliesTo(selection: SelectionNode, typename: string, schema: GraphQLSchema): boolean {
  if (selection.kind !== Kind.INLINE_FRAGMENT || !selection.typeCondition) return true;
  const condition = selection.typeCondition.name.value;
  if (condition === typename) return true;
  const conditionType = schema.getType(condition);
  const subjectType = schema.getType(typename);
  return (
    conditionType !== undefined &&
    isAbstractType(conditionType) &&
    isObjectType(subjectType) &&
    schema.isSubType(conditionType, subjectType)
  );
}

function withTypenames(selectionSet: SelectionSetNode): SelectionSetNode {
  return visit(selectionSet, {
    SelectionSet: {
      leave(node) {
        const hasTypename = node.selections.some(
          (s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias,
        );
        if (hasTypename) return undefined;
        const typename: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };
        return { ...node, selections: [typename, ...node.selections] };
      },
    },
  });
}
