import type { DomainEvent } from '@ies/change-log';
import type { Redis } from '@ies/redis';
import { DEFAULT_STREAM_MAX_LENGTH, eventStreamKey, streamFields } from './platform-event';

export interface PublishOptions {
  /** Approximate stream length kept (`MAXLEN ~`); default 1,000,000. */
  maxLength?: number;
}

/**
 * Appends events to the platform's stream, in the order given, one entry each (`XADD`, trimmed
 * approximately). Resolves once Redis has them all. Publishing the same event twice is allowed:
 * consumers deduplicate by event id.
 */
export async function publishEvents(
  redis: Redis,
  prefix: string,
  service: string,
  events: DomainEvent[],
  options: PublishOptions = {},
): Promise<void> {
  if (events.length === 0) return;
  const key = eventStreamKey(prefix);
  const maxLength = String(options.maxLength ?? DEFAULT_STREAM_MAX_LENGTH);
  // One pipeline on one connection: Redis applies the entries in this order.
  const pipeline = redis.pipeline();
  for (const event of events) {
    pipeline.xadd(key, 'MAXLEN', '~', maxLength, '*', ...streamFields(service, event));
  }
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
}
