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
import { PARTNER_EVENT_TYPES, unknownEventTypes } from '@ies/events';
import type { Principal } from '@ies/auth';
import type { Logger } from '@ies/logger';
import { batchedReads } from './batched-reads';
import { deliveryStream } from './delivery-stream';
import { SUBJECT_ID_VARIABLE, entityQuery, type EntityQuery } from './entity-query';
import type { EventHub } from './event-hub';
import { eventMatches, type EventFilter } from './event-filter';
import { catchmentsOutOfScope, eventTypesOutOfScope, mayHear } from './event-scope';
import { EVENT_TOPICS, SUBJECT_KINDS, subjectKindOf, type EventTopic } from './event-topics';
import type { PlatformEvent } from './platform-event';
import { subjectOutcome, type Delivery } from './subject-delivery';
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

const OVERFLOW = { overflowed: true } as const;

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
    refuseOutOfScope(context.principal, catchmentIds ?? [], topic.types);
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
    // An empty list would match nothing, ever: omitting it means every type (catchment) in scope.
    if (types?.length === 0) throw badUserInput('Name at least one type, or omit types for every type');
    if (catchmentIds?.length === 0)
      throw badUserInput('Name at least one catchment, or omit catchmentIds for every catchment in scope');
    const unknown = unknownEventTypes(types ?? []);
    if (unknown.length > 0)
      throw badUserInput(
        `Not an event type of the platform: ${unknown.join(', ')} (docs/events.md lists them)`,
      );
    refuseOutOfScope(context.principal, catchmentIds ?? [], types ?? []);
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

/** Values of a caller's arguments as an error names them: the first 10, each cut to 64 characters. */
const shown = (values: readonly string[]) => values.slice(0, 10).map((value) => value.slice(0, 64));

/** Catchments or event types a subscriber could never hear: refused at subscribe time, not left silent. */
function refuseOutOfScope(principal: Principal, catchmentIds: readonly string[], types: readonly string[]) {
  const outside = shown(catchmentsOutOfScope(principal, catchmentIds));
  if (outside.length > 0) {
    throw forbidden(`Catchment ${outside.join(', ')} is outside your scope`);
  }
  const unheard = shown(eventTypesOutOfScope(principal, types));
  if (unheard.length > 0) {
    throw forbidden(
      principal.role === 'PARTNER'
        ? `A partner hears ${PARTNER_EVENT_TYPES.join(', ')}; not ${unheard.join(', ')}`
        : `Only the ministry hears ${unheard.join(', ')}`,
    );
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
  // The reads a burst starts together go through the supergraph as one query (batched-reads.ts).
  const execute = batchedReads(options.execute);
  const read = async (event: PlatformEvent): Promise<Delivery | null> => {
    // The ministry hears subjects the gateway cannot look up (an SLA policy): the envelope alone.
    if (!subjectKindOf(event.subject.typename)) return { event, entities: {}, errors: [] };
    const query = queryFor(event);
    const variables: Record<string, unknown> = { [SUBJECT_ID_VARIABLE]: event.subject.id };
    for (const name of query.variableNames) variables[name] = context.variables[name];
    const result = await execute(
      { query: query.query, operationName: query.operationName, variables },
      context,
    ).catch((error: unknown) => {
      context.logger.error({ err: error, eventId: event.id }, 'subscription payload failed');
      return { data: null, errors: [internalServerError().toJSON()] };
    });
    const outcome = subjectOutcome(context.principal, event, result, query.responseKeys);
    if ('deliver' in outcome) return outcome.deliver;
    if (outcome.drop === 'read-failed') {
      context.logger.warn(
        { eventId: event.id, eventType: event.type, role: context.principal.role, errors: result.errors },
        'subscription event dropped: its subject could not be read',
      );
    }
    return null;
  };
  return deliveryStream<Message>(queue, read, () => OVERFLOW);
}
