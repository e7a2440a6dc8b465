import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '@ies/errors';
import type { Principal } from '@ies/auth';
import type { PlatformEvent } from './platform-event';

/** One message of a subscription before graphql-js shapes it: the event and its subject as read. */
export interface Delivery {
  event: PlatformEvent;
  /** The subject by the payload's response key for the entity field, as the supergraph answered. */
  entities: Record<string, unknown>;
  errors: readonly GraphQLFormattedError[];
}

/** The supergraph's answer to the read of an event's subject, as the subscriber. */
export interface SubjectAnswer {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/**
 * Errors that mean the subject could not be read (a service down, a failure), not that the subscriber may
 * not read it.
 */
const READ_FAILURES = new Set<string>([ErrorCode.SUBGRAPH_UNAVAILABLE, ErrorCode.INTERNAL_SERVER_ERROR]);

/**
 * What becomes of an event once its subject was read (ADR 0020): sent when the subject came back for the
 * subscriber; otherwise dropped, so a subscriber learns nothing of what it cannot see — `not-readable`
 * when the supergraph answered null or refused, `read-failed` when the read itself failed. A failed read
 * cannot tell whether the subscriber could have seen the subject, so only the ministry, which may read
 * every subject, hears of it: the envelope, the subject null and the error.
 */
export type SubjectOutcome = { deliver: Delivery } | { drop: 'not-readable' | 'read-failed' };

export function subjectOutcome(
  principal: Principal,
  event: PlatformEvent,
  answer: SubjectAnswer,
  responseKeys: readonly string[],
): SubjectOutcome {
  const entities = answer.data ?? {};
  const errors = answer.errors ?? [];
  if (responseKeys.some((key) => entities[key] != null)) return { deliver: { event, entities, errors } };
  if (!errors.some((e) => READ_FAILURES.has(String(e.extensions?.code)))) return { drop: 'not-readable' };
  if (principal.role !== 'MINISTRY') return { drop: 'read-failed' };
  return { deliver: { event, entities, errors } };
}
