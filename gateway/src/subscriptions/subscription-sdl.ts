import { EVENT_TOPICS, SUBJECT_KINDS } from './event-topics';

/** The union the generic `events` field's `subject` is: every subject type the gateway can look up. */
export const EVENT_SUBJECT_UNION = 'EventSubject';

/** Longest `types` or `catchmentIds` list the `events` field accepts. */
export const MAX_FILTER_VALUES = 50;

/**
 * The gateway's own types, added to the supergraph's API schema (ADR 0020): the `Subscription` root, its
 * payload types, and the event envelope. Entity fields are the supergraph's own types, so a subscriber
 * selects across every subgraph exactly as in a query. Only the subject types the supergraph has get a
 * payload and topics (a gateway composed over fewer subgraphs serves fewer).
 */
export function subscriptionSdl(hasType: (typename: string) => boolean): string {
  const subjects = Object.entries(SUBJECT_KINDS).filter(([typename]) => hasType(typename));
  const topics = EVENT_TOPICS.filter((topic) => hasType(topic.subject));
  const payloadTypes = subjects.map(
    ([typename, kind]) => `
"""An event about a ${typename}, with the ${typename} as the subscriber may read it."""
type ${kind.payloadType} {
  event: EventInfo!
  """Resolved through the supergraph with the subscriber's principal."""
  ${kind.entityField}: ${typename}
}`,
  );
  const topicFields = topics.map(
    (topic) => `
  """
  ${topic.description} Omit \`catchmentId\` for every catchment in your scope.
  """
  ${topic.field}(catchmentId: ID): ${SUBJECT_KINDS[topic.subject].payloadType}`,
  );
  return `
extend schema {
  subscription: Subscription
}

"""The envelope of one domain event (its \`data\` stays inside the platform: select the entity instead)."""
type EventInfo {
  id: ID!
  type: String!
  occurredAt: DateTime!
  catchmentId: ID
  subject: EventSubjectReference!
  """The subject's version this change produced."""
  version: Int!
}

type EventSubjectReference {
  typename: String!
  id: ID!
}
${payloadTypes.join('\n')}

union ${EVENT_SUBJECT_UNION} = ${subjects.map(([typename]) => typename).join(' | ')}

"""Any event in the subscriber's scope, with its subject as the subscriber may read it."""
type DomainEventMessage {
  event: EventInfo!
  subject: ${EVENT_SUBJECT_UNION}
}

"""
Live events over graphql-ws on /graphql, in the subscriber's scope. An event whose subject the
subscriber cannot read is not sent.
"""
type Subscription {${topicFields.join('\n')}

  """
  Events of the given types (any when omitted) in the given catchments (any in your scope when omitted);
  at most ${MAX_FILTER_VALUES} of each.
  """
  events(types: [String!], catchmentIds: [ID!]): DomainEventMessage
}
`;
}
