import {
  GraphQLError,
  defaultFieldResolver,
  extendSchema,
  isObjectType,
  parse,
  type GraphQLFieldResolver,
  type GraphQLFormattedError,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { ErrorCode, badUserInput, forbidden, internalServerError } from '@ies/errors';
import type { Principal } from '@ies/auth';
import type { Logger } from '@ies/logger';
import { deliveryStream } from './delivery-stream';
import { SUBJECT_ID_VARIABLE, entityQuery, type EntityQuery } from './entity-query';
import type { EventHub } from './event-hub';
import { eventMatches, type EventFilter } from './event-filter';
import { catchmentsOutOfScope, mayHear } from './event-scope';
import { EVENT_TOPICS, SUBJECT_KINDS, subjectKindOf, type EventTopic } from './event-topics';
import type { PlatformEvent } from './platform-event';
import { MAX_FILTER_VALUES, subscriptionSdl } from './subscription-sdl';

/** What every subscription's resolvers see: who subscribed and the variables they sent. */
export interface SubscriptionContext {
  principal: Principal;
  logger: Logger;
  variables: Record<string, unknown>;
}

/** Runs one query through the gateway's own Apollo Server with the subscriber's principal. */
export type SupergraphExecutor = (
  request: { query: string; operationName: string; variables: Record<string, unknown> },
  context: SubscriptionContext,
) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }>;

export interface SubscriptionSchemaOptions {
  hub: EventHub;
  execute: SupergraphExecutor;
  /** Events a subscription may fall behind before it is ended with SUBSCRIBER_TOO_SLOW. */
  maxPendingEvents: number;
}

/** One message of a subscription before graphql-js shapes it: the event and its subject as read. */
interface Delivery {
  event: PlatformEvent;
  /** The subject by the payload's response key for the entity field, as the supergraph answered. */
  entities: Record<string, unknown>;
  errors: readonly GraphQLFormattedError[];
}

const OVERFLOW = { overflowed: true } as const;

/**
 * Errors that mean the subject could not be read (a service down, a failure), not that the subscriber may
 * not read it: an event whose subject is null because of one is still sent, with the error.
 */
const READ_FAILURES = new Set<string>([ErrorCode.SUBGRAPH_UNAVAILABLE, ErrorCode.INTERNAL_SERVER_ERROR]);
type Message = Delivery | typeof OVERFLOW;

/**
 * The schema subscriptions are validated and executed against (ADR 0020): the supergraph's API schema
 * extended with the gateway's `Subscription` type, so a subscriber's selection of `dispute { … }` is
 * checked against the supergraph's own `Dispute`. Entities are read by a query through the gateway per
 * event; `fieldResolver` then reads the answer by response key.
 */
export function buildSubscriptionSchema(apiSchema: GraphQLSchema, options: SubscriptionSchemaOptions) {
  const extension = parse(subscriptionSdl((typename) => apiSchema.getType(typename) !== undefined));
  const schema = extendSchema(apiSchema, extension);
  const ownTypes = new Set(
    extension.definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : [])),
  );
  const subscription = schema.getSubscriptionType()!.getFields();
  for (const topic of EVENT_TOPICS) {
    const field = subscription[topic.field];
    if (!field) continue;
    field.subscribe = topicSubscriber(topic, options);
    field.resolve = deliver;
  }
  subscription.events!.subscribe = eventsSubscriber(options);
  subscription.events!.resolve = deliver;
  for (const kind of Object.values(SUBJECT_KINDS)) {
    const payload = schema.getType(kind.payloadType);
    if (isObjectType(payload)) payload.getFields()[kind.entityField]!.resolve = entityOf;
  }
  const message = schema.getType('DomainEventMessage');
  if (isObjectType(message)) message.getFields().subject!.resolve = entityOf;

  /** Our own types' fields by name; the supergraph's, from the gateway's answer, by response key. */
  const fieldResolver: GraphQLFieldResolver<unknown, SubscriptionContext> = (source, args, context, info) =>
    ownTypes.has(info.parentType.name)
      ? defaultFieldResolver(source, args, context, info)
      : (source as Record<string, unknown> | null)?.[String(info.path.key)];

  return { schema, fieldResolver };
}

const deliver = (message: Message): Delivery => {
  if ('overflowed' in message) {
    throw new GraphQLError('The subscription fell too far behind its events and was ended; subscribe again', {
      extensions: { code: ErrorCode.SUBSCRIBER_TOO_SLOW },
    });
  }
  return message;
};

/** The subject as the supergraph answered; when it is null because the read failed, that failure. */
const entityOf = (delivery: Delivery, _args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
  const entity = delivery.entities[String(info.path.key)];
  const failure = delivery.errors[0];
  if (entity == null && failure) {
    throw new GraphQLError(failure.message, { extensions: { ...failure.extensions } });
  }
  return entity;
};

function topicSubscriber(topic: EventTopic, options: SubscriptionSchemaOptions) {
  const kind = SUBJECT_KINDS[topic.subject];
  return (
    _source: unknown,
    args: { catchmentId?: string | null },
    context: SubscriptionContext,
    info: GraphQLResolveInfo,
  ) => {
    const catchmentIds = args.catchmentId ? [args.catchmentId] : null;
    refuseOutOfScope(context.principal, catchmentIds ?? []);
    const query = entityQuery({
      schema: info.schema,
      operation: info.operation,
      fragments: info.fragments,
      payloadFieldNodes: info.fieldNodes,
      entityField: kind.entityField,
      subjectTypename: topic.subject,
      lookupField: kind.lookupField,
      operationName: `${topic.field}Subject`,
    });
    return subscribeTo({ types: null, catchmentIds, matches: topic.matches }, () => query, context, options);
  };
}

function eventsSubscriber(options: SubscriptionSchemaOptions) {
  return (
    _source: unknown,
    args: { types?: string[] | null; catchmentIds?: string[] | null },
    context: SubscriptionContext,
    info: GraphQLResolveInfo,
  ) => {
    const types = args.types ?? null;
    const catchmentIds = args.catchmentIds ?? null;
    if ((types?.length ?? 0) > MAX_FILTER_VALUES || (catchmentIds?.length ?? 0) > MAX_FILTER_VALUES) {
      throw badUserInput(`Name at most ${MAX_FILTER_VALUES} types and ${MAX_FILTER_VALUES} catchments`);
    }
    refuseOutOfScope(context.principal, catchmentIds ?? []);
    // The subject's type is known only per event: one query per subject type, built when first needed.
    const queries = new Map<string, EntityQuery>();
    const queryFor = (event: PlatformEvent) => {
      const typename = event.subject.typename;
      const kind = subjectKindOf(typename)!;
      let query = queries.get(typename);
      if (!query) {
        query = entityQuery({
          schema: info.schema,
          operation: info.operation,
          fragments: info.fragments,
          payloadFieldNodes: info.fieldNodes,
          entityField: 'subject',
          subjectTypename: typename,
          lookupField: kind.lookupField,
          operationName: `eventSubject${typename}`,
        });
        queries.set(typename, query);
      }
      return query;
    };
    return subscribeTo({ types, catchmentIds }, queryFor, context, options);
  };
}

function refuseOutOfScope(principal: Principal, catchmentIds: readonly string[]) {
  const outside = catchmentsOutOfScope(principal, catchmentIds);
  if (outside.length > 0) {
    throw forbidden(`Catchment ${outside.join(', ')} is outside your scope`);
  }
}

function subscribeTo(
  filter: EventFilter,
  queryFor: (event: PlatformEvent) => EntityQuery,
  context: SubscriptionContext,
  options: SubscriptionSchemaOptions,
): AsyncIterableIterator<Message> {
  const queue = options.hub.queue(
    (event) => mayHear(context.principal, event) && eventMatches(filter, event),
    options.maxPendingEvents,
  );
  const read = async (event: PlatformEvent): Promise<Delivery | null> => {
    // The ministry hears subjects the gateway cannot look up (an SLA policy): the envelope alone.
    if (!subjectKindOf(event.subject.typename)) return { event, entities: {}, errors: [] };
    const query = queryFor(event);
    const variables: Record<string, unknown> = { [SUBJECT_ID_VARIABLE]: event.subject.id };
    for (const name of query.variableNames) variables[name] = context.variables[name];
    const result = await options
      .execute({ query: query.query, operationName: query.operationName, variables }, context)
      .catch((error: unknown) => {
        context.logger.error({ err: error, eventId: event.id }, 'subscription payload failed');
        return { data: null, errors: [internalServerError().toJSON()] };
      });
    const entities = result.data ?? {};
    const errors = result.errors ?? [];
    const visible = query.responseKeys.some((key) => entities[key] != null);
    // Not readable by this subscriber (null, or refused): not sent. Only a failed read is.
    if (!visible && !errors.some((e) => READ_FAILURES.has(String(e.extensions?.code)))) return null;
    return { event, entities, errors };
  };
  return deliveryStream<Message>(queue, read, () => OVERFLOW);
}
