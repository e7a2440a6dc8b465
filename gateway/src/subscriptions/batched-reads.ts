import {
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';
import { SUBJECT_ID_VARIABLE } from './entity-query';
import type { SubscriptionContext, SupergraphExecutor } from './subscription-schema';

type Request = Parameters<SupergraphExecutor>[0];
type Answer = Awaited<ReturnType<SupergraphExecutor>>;

interface Pending {
  request: Request;
  resolve(answer: Answer): void;
  reject(error: unknown): void;
}

/** Reads of one subscription merged into one query at most (the subscription's reads in flight). */
export const MAX_READS_PER_QUERY = 8;

/** The response key of lookup `key` of the `index`th read of a merged query. */
const mergedKey = (index: number, key: string) => `b${index}_${key}`;
const subjectVariable = (index: number) => `${SUBJECT_ID_VARIABLE}_${index}`;
const nameNode = (value: string) => ({ kind: Kind.NAME as const, value });

/**
 * One subscription's entity reads, merged: the reads it starts in the same turn (the events of a burst,
 * `deliveryStream`) with the same entity query and variables become one query through the supergraph,
 * each read's lookups under aliases of their own (`b0_dispute`, `b1_dispute`, …) and its subject id in a
 * variable of its own. The gateway plans it as one fetch per subgraph instead of one per event, and the
 * subgraphs read the subjects together. Each read gets its own part of the answer: its lookups' data and
 * the errors under them, under its own response keys; errors of the whole request go to every read.
 *
 * A merged query the gateway refuses as a whole (it exceeds an operation limit the single read did not:
 * aliases, root fields, cost, tokens), or that fails as a whole, is not trusted for any read: each read
 * is sent again alone, so merging never changes what a subscriber receives.
 */
export function batchedReads(execute: SupergraphExecutor): SupergraphExecutor {
  let pending: Pending[] = [];
  let scheduled = false;
  const flush = (context: SubscriptionContext) => {
    scheduled = false;
    const reads = pending;
    pending = [];
    const groups = new Map<string, Pending[]>();
    for (const read of reads) {
      const { [SUBJECT_ID_VARIABLE]: _subject, ...others } = read.request.variables;
      const key = `${read.request.query}\u0000${JSON.stringify(others)}`;
      groups.set(key, [...(groups.get(key) ?? []), read]);
    }
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i += MAX_READS_PER_QUERY) {
        void runMerged(execute, group.slice(i, i + MAX_READS_PER_QUERY), context);
      }
    }
  };
  return (request, context) =>
    new Promise<Answer>((resolve, reject) => {
      pending.push({ request, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        process.nextTick(() => flush(context));
      }
    });
}

async function runMerged(execute: SupergraphExecutor, reads: Pending[], context: SubscriptionContext) {
  const alone = (read: Pending) => execute(read.request, context).then(read.resolve, read.reject);
  if (reads.length === 1) return alone(reads[0]!);
  let merged: ReturnType<typeof mergeReads>;
  try {
    merged = mergeReads(reads.map((r) => r.request));
  } catch {
    return Promise.all(reads.map(alone));
  }
  let answer: Answer;
  try {
    answer = await execute(merged.request, context);
  } catch {
    return Promise.all(reads.map(alone));
  }
  const errors = answer.errors ?? [];
  if (!answer.data || errors.some((error) => !error.path?.length)) return Promise.all(reads.map(alone));
  reads.forEach((read, index) => read.resolve(partOf(answer, index, merged.responseKeys)));
}

/** One query holding every read's lookups, each under its own aliases and subject variable. */
export function mergeReads(requests: Request[]): { request: Request; responseKeys: string[] } {
  const document: DocumentNode = parse(requests[0]!.query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation || document.definitions.length !== 1) throw new Error('not an entity query');
  const lookups = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  if (lookups.length !== operation.selectionSet.selections.length) throw new Error('not an entity query');
  const responseKeys = lookups.map((field) => field.alias?.value ?? field.name.value);
  const subjectDefinition = operation.variableDefinitions?.find(
    (d) => d.variable.name.value === SUBJECT_ID_VARIABLE,
  );
  if (!subjectDefinition) throw new Error('not an entity query');
  const otherDefinitions = (operation.variableDefinitions ?? []).filter((d) => d !== subjectDefinition);
  const variableDefinitions: VariableDefinitionNode[] = [
    ...requests.map((_, index) => ({
      ...subjectDefinition,
      variable: { ...subjectDefinition.variable, name: nameNode(subjectVariable(index)) },
    })),
    ...otherDefinitions,
  ];
  const selections: FieldNode[] = requests.flatMap((_, index) =>
    lookups.map(
      (field, k) =>
        visit(
          { ...field, alias: nameNode(mergedKey(index, responseKeys[k]!)) },
          {
            Variable: (node) =>
              node.name.value === SUBJECT_ID_VARIABLE
                ? { ...node, name: nameNode(subjectVariable(index)) }
                : undefined,
          },
        ) as FieldNode,
    ),
  );
  const mergedOperation: OperationDefinitionNode = {
    ...operation,
    variableDefinitions,
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  const { [SUBJECT_ID_VARIABLE]: _subject, ...others } = requests[0]!.variables;
  const variables: Record<string, unknown> = { ...others };
  requests.forEach((request, index) => {
    variables[subjectVariable(index)] = request.variables[SUBJECT_ID_VARIABLE];
  });
  return {
    request: {
      query: print({ kind: Kind.DOCUMENT, definitions: [mergedOperation] }),
      operationName: requests[0]!.operationName,
      variables,
    },
    responseKeys,
  };
}

/** The `index`th read's answer out of a merged one: its lookups' data and the errors under them. */
export function partOf(answer: Answer, index: number, responseKeys: readonly string[]): Answer {
  const data: Record<string, unknown> = {};
  for (const key of responseKeys) data[key] = answer.data?.[mergedKey(index, key)] ?? null;
  const errors: GraphQLFormattedError[] = [];
  for (const error of answer.errors ?? []) {
    const [head, ...rest] = error.path ?? [];
    const key = responseKeys.find((k) => head === mergedKey(index, k));
    if (key !== undefined) errors.push({ ...error, path: [key, ...rest] });
  }
  return errors.length > 0 ? { data, errors } : { data };
}
