import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import {
  Kind,
  parse,
  specifiedRules,
  validate,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { EventHub } from '../src/subscriptions/event-hub';
import { SUBJECT_ID_VARIABLE, VISIBILITY_PROBE, entityQuery } from '../src/subscriptions/entity-query';
import { buildSubscriptionSchema } from '../src/subscriptions/subscription-schema';

let apiSchema: GraphQLSchema;
let schema: GraphQLSchema;

beforeAll(async () => {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(join(__dirname, '..', 'supergraph.graphql'), 'utf8'),
  });
  apiSchema = (await gateway.load()).schema;
  await gateway.stop();
  schema = buildSubscriptionSchema(apiSchema, {
    hub: new EventHub(),
    execute: async () => ({ data: null }),
    maxPendingEvents: 10,
  }).schema;
});

/** The pieces graphql-js gives a subscription field's resolver, from a subscriber's document. */
function subscriptionOf(source: string) {
  const document = parse(source);
  expect(validate(schema, document, specifiedRules)).toEqual([]);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const payloadFieldNodes = operation.selectionSet.selections as FieldNode[];
  return { schema, operation, fragments, payloadFieldNodes };
}

/** The query must be one the gateway accepts: valid against the supergraph's API schema. */
const expectValidOnTheSupergraph = (query: string) =>
  expect(validate(apiSchema, parse(query), specifiedRules).map((e) => e.message)).toEqual([]);

describe('Subscription payloads read through the supergraph', () => {
  describe('when a subscriber selects a dispute across subgraphs', () => {
    it('asks the gateway for that dispute with the same selection, fragments inlined', () => {
      const built = entityQuery({
        ...subscriptionOf(`
          subscription($n: Boolean!) {
            disputeEscalated(catchmentId: "durham") {
              event { id type }
              dispute { status ...Where provider @include(if: $n) { organizationName } }
            }
          }
          fragment Where on Dispute { catchment { name serviceSystemManager { organizationName } } }`),
        entityField: 'dispute',
        subjectTypename: 'Dispute',
        lookupField: 'dispute',
        operationName: 'disputeEscalatedSubject',
      });
      expectValidOnTheSupergraph(built.query);
      expect(built.query).toContain(
        `query disputeEscalatedSubject($${SUBJECT_ID_VARIABLE}: ID!, $n: Boolean!)`,
      );
      expect(built.query).toContain(`dispute: dispute(id: $${SUBJECT_ID_VARIABLE})`);
      expect(built.query).toContain('... on Dispute {');
      expect(built.query).toContain('serviceSystemManager {');
      expect(built.variableNames).toEqual(['n']);
      expect(built.responseKeys).toEqual(['dispute']);
    });

    it('reads each alias of the entity field as a lookup of its own', () => {
      const built = entityQuery({
        ...subscriptionOf(
          `subscription { disputeOpened { a: dispute { status } b: dispute { reference } } }`,
        ),
        entityField: 'dispute',
        subjectTypename: 'Dispute',
        lookupField: 'dispute',
        operationName: 'disputeOpenedSubject',
      });
      expectValidOnTheSupergraph(built.query);
      expect(built.responseKeys).toEqual(['a', 'b']);
      expect(built.variableNames).toEqual([]);
    });
  });

  describe('when a subscriber selects nothing of the entity', () => {
    it("still asks for the subject's __typename, so an event it cannot read is not sent", () => {
      const built = entityQuery({
        ...subscriptionOf(`subscription { agreementAmended { event { id } } }`),
        entityField: 'agreement',
        subjectTypename: 'ProviderAgreement',
        lookupField: 'providerAgreement',
        operationName: 'agreementAmendedSubject',
      });
      expectValidOnTheSupergraph(built.query);
      expect(built.responseKeys).toEqual([VISIBILITY_PROBE]);
      expect(built.query).toContain(
        `${VISIBILITY_PROBE}: providerAgreement(id: $${SUBJECT_ID_VARIABLE}) {\n  __typename\n}`,
      );
    });
  });

  describe('when the generic events field selects its subject by type', () => {
    const source = `
      subscription { events(catchmentIds: ["peel"]) {
        event { type subject { typename id } }
        subject { __typename ... on Dispute { reference } ...Plan ... on ProviderAgreement { provider { organizationName } } }
      } }
      fragment Plan on EmploymentActionPlan { status }`;

    it('keeps only the fragments that apply to the subject of each event', () => {
      const forPlan = entityQuery({
        ...subscriptionOf(source),
        entityField: 'subject',
        subjectTypename: 'EmploymentActionPlan',
        lookupField: 'actionPlan',
        operationName: 'eventSubjectEmploymentActionPlan',
      });
      expectValidOnTheSupergraph(forPlan.query);
      expect(forPlan.query).toContain('... on EmploymentActionPlan {');
      expect(forPlan.query).not.toContain('... on Dispute');
      expect(forPlan.query).not.toContain('... on ProviderAgreement');

      const forDispute = entityQuery({
        ...subscriptionOf(source),
        entityField: 'subject',
        subjectTypename: 'Dispute',
        lookupField: 'dispute',
        operationName: 'eventSubjectDispute',
      });
      expectValidOnTheSupergraph(forDispute.query);
      expect(forDispute.query).toContain('... on Dispute {');
      expect(forDispute.query).not.toContain('EmploymentActionPlan');
    });
  });
});

describe("The API guide's subscriptions", () => {
  it('are valid subscriptions of the gateway', () => {
    const guide = readFileSync(join(__dirname, '..', '..', 'docs', 'api-guide.md'), 'utf8');
    const section = guide.slice(guide.indexOf('## Subscriptions (WebSocket)'));
    const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) {
      const document = parse(block);
      expect(validate(schema, document, specifiedRules)).toEqual([]);
      expect(document.definitions).toEqual([expect.objectContaining({ operation: 'subscription' })]);
    }
  });
});
