import type { DomainEvent } from '@ies/change-log';

/**
 * A domain event as every consumer reads it from the platform's stream: the change-log's
 * `DomainEvent` with its time as an ISO-8601 string (JSON on the wire) and the service that produced it.
 */
export type PlatformEvent = Omit<DomainEvent, 'occurredAt'> & { occurredAt: string; service: string };

/** The one stream of the platform's domain events, under a Redis prefix (`QUEUE_PREFIX`, default `ies`). */
export const eventStreamKey = (prefix: string): string => `${prefix}:events`;

/** Approximate length the stream is trimmed to on every publish (`XADD … MAXLEN ~`). */
export const DEFAULT_STREAM_MAX_LENGTH = 1_000_000;

/** A domain event as it travels: `occurredAt` as an ISO-8601 string, whatever the store returned. */
export function wireEvent(event: DomainEvent | (Omit<DomainEvent, 'occurredAt'> & { occurredAt: string })) {
  return {
    id: event.id,
    type: event.type,
    occurredAt: new Date(event.occurredAt).toISOString(),
    catchmentId: event.catchmentId ?? null,
    subject: { typename: event.subject.typename, id: event.subject.id },
    data: event.data ?? {},
    version: event.version,
  };
}

/** The fields of one stream entry: `event` (the JSON), `id`, `type`, `service`. */
export function streamFields(service: string, event: DomainEvent): string[] {
  const wire = wireEvent(event);
  return ['event', JSON.stringify(wire), 'id', wire.id, 'type', wire.type, 'service', service];
}

/** A stream entry as ioredis returns it: `[entryId, [field, value, …]]`. */
export type StreamEntry = [string, string[]];

/**
 * The event of a stream entry, or null when the entry is not one (malformed JSON, missing fields):
 * consumers skip such entries rather than stop on them.
 */
export function parseStreamEntry(entry: StreamEntry): PlatformEvent | null {
  const fields = new Map<string, string>();
  const values = entry[1] ?? [];
  for (let i = 0; i + 1 < values.length; i += 2) fields.set(values[i]!, values[i + 1]!);
  const json = fields.get('event');
  if (!json) return null;
  try {
    const event = JSON.parse(json) as Partial<PlatformEvent>;
    if (typeof event.id !== 'string' || typeof event.type !== 'string' || !event.subject) return null;
    return { ...(event as PlatformEvent), service: fields.get('service') ?? event.service ?? 'unknown' };
  } catch {
    return null;
  }
}
