import type { Connection } from 'mongoose';
import {
  attachChangeLogLogger,
  attachRecordPublisher,
  detachChangeLogLogger,
  detachRecordPublisher,
  type ChangeRecord,
} from '@ies/change-log';
import type { Logger } from '@ies/logger';
import { openRedisWithoutWaiting, type Redis } from '@ies/redis';
import { DEFAULT_STREAM_MAX_LENGTH, eventStreamKey, streamFields } from './platform-event';

/**
 * The newest version of a subject whose events are on the stream, kept beside the stream (same
 * prefix, so the same Redis Cluster slot when the prefix is a hash tag such as `{ies}`).
 */
export const publishedVersionKey = (prefix: string, subject: string): string =>
  `${prefix}:events:published:${subject}`;

/**
 * How long a subject's published version is remembered after its last publish. A subject changed
 * again later than this is published by the relay (a poll later) instead of by its writer.
 */
export const PUBLISHED_VERSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * KEYS[1] the stream, KEYS[1 + i] record i's subject's published version. ARGV: mode (`next`: publish
 * a record only when the stored version is its version − 1, a creation when none is stored; `any`:
 * always), the keys' time to live (ms), MAXLEN, then per record its version and its events' stream
 * fields (a JSON array of arrays). Records are taken in order; each one's events are appended and its
 * subject's version raised together. Returns how many records were published (`next` stops at the
 * first it declines). An error stops the script where it is: no later record goes before an earlier.
 */
const PUBLISH_RECORDS_LUA = `
local published = 0
for i = 2, #KEYS do
  local stored = tonumber(redis.call('GET', KEYS[i]) or '0')
  local version = tonumber(ARGV[2 + 2 * (i - 1)])
  if ARGV[1] == 'next' and stored ~= version - 1 then return published end
  for _, fields in ipairs(cjson.decode(ARGV[3 + 2 * (i - 1)])) do
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', unpack(fields))
  end
  if version >= stored then redis.call('SET', KEYS[i], version, 'PX', ARGV[2]) end
  published = published + 1
end
return published
`;

type PublishingRedis = Redis & {
  iesPublishRecords(numberOfKeys: number, ...args: (string | number)[]): Promise<number>;
};

function publishing(redis: Redis): PublishingRedis {
  const candidate = redis as PublishingRedis;
  if (typeof candidate.iesPublishRecords !== 'function') {
    redis.defineCommand('iesPublishRecords', { lua: PUBLISH_RECORDS_LUA });
  }
  return candidate;
}

/** What of a change-log record goes on the stream. */
export type PublishableRecord = Pick<ChangeRecord<object>, 'subject' | 'version' | 'events'>;

/** Records published per script call by the relay (each call holds Redis for its length). */
const RECORDS_PER_CALL = 50;

async function publishInOrder(
  redis: Redis,
  prefix: string,
  service: string,
  records: PublishableRecord[],
  mode: 'next' | 'any',
  maxLength: number,
): Promise<number> {
  const keys = [eventStreamKey(prefix), ...records.map((r) => publishedVersionKey(prefix, r.subject))];
  const args = [
    mode,
    PUBLISHED_VERSION_TTL_MS,
    maxLength,
    ...records.flatMap((record) => [
      record.version,
      JSON.stringify((record.events ?? []).map((event) => streamFields(service, event))),
    ]),
  ];
  return publishing(redis).iesPublishRecords(keys.length, ...keys, ...args);
}

/**
 * Publishes one record's events as its writer does: only if the subject's previous version is known
 * published (`next`), so that a subject's events stay in version order whoever publishes them. True
 * when its events are on the stream.
 */
export async function publishRecordInOrder(
  redis: Redis,
  prefix: string,
  service: string,
  record: PublishableRecord,
  options: { maxLength?: number } = {},
): Promise<boolean> {
  const maxLength = options.maxLength ?? DEFAULT_STREAM_MAX_LENGTH;
  return (await publishInOrder(redis, prefix, service, [record], 'next', maxLength)) === 1;
}

/**
 * Publishes records' events as the relay does, in the order given (the relay's order keeps each
 * subject's versions in order): each record's events, and its subject's published version raised, in
 * one step; a few dozen records per script call, one call after another, so a failure leaves no later
 * record on the stream before an earlier one. Resolves once Redis has them all.
 */
export async function publishRecords(
  redis: Redis,
  prefix: string,
  service: string,
  records: PublishableRecord[],
  options: { maxLength?: number } = {},
): Promise<void> {
  const maxLength = options.maxLength ?? DEFAULT_STREAM_MAX_LENGTH;
  for (let i = 0; i < records.length; i += RECORDS_PER_CALL) {
    await publishInOrder(redis, prefix, service, records.slice(i, i + RECORDS_PER_CALL), 'any', maxLength);
  }
}

export interface EventPublisherOptions {
  /** The service's database connection: its change logs publish what their writers change. */
  connection: Connection;
  redisUrl: string;
  /** `QUEUE_PREFIX`. */
  prefix: string;
  /** The producing service (`service` of every entry). */
  service: string;
  logger: Logger;
  streamMaxLength?: number;
  /** How long a writer waits for Redis before leaving its record to the relay; default 250 ms. */
  timeoutMs?: number;
}

export interface EventPublisher {
  stop(): Promise<void>;
}

/**
 * Lets the service's writers publish their own changes' events the moment they are projected
 * (ADR 0018): a change reaches the stream in milliseconds instead of a relay poll later, and the relay
 * is left only what a writer could not publish (Redis down or slow, a crash, a subject whose previous
 * version is not known published). Redis is connected in the background; a writer never waits on it
 * for more than `timeoutMs`.
 */
export function attachEventPublisher(options: EventPublisherOptions): EventPublisher {
  const logger = options.logger.child({ module: 'events-publisher' });
  let warned = false;
  const redis = openRedisWithoutWaiting({
    url: options.redisUrl,
    commandTimeoutMs: options.timeoutMs ?? 250,
    onError: (error) => {
      if (!warned) logger.warn({ err: error }, 'Redis unavailable: changes are left to the events relay');
      warned = true;
    },
  });
  redis.on('ready', () => (warned = false));
  // The process's change logs report there what they leave to readers.
  attachChangeLogLogger(options.connection, options.logger.child({ module: 'change-log' }));
  attachRecordPublisher(options.connection, async (record) => {
    // While Redis is away, writers do not wait for it at all: the relay publishes after it is back.
    if (redis.status !== 'ready') return false;
    try {
      return await publishRecordInOrder(redis, options.prefix, options.service, record, {
        maxLength: options.streamMaxLength,
      });
    } catch (error) {
      logger.debug({ err: error, record: `${record.subject}:${record.version}` }, 'left to the relay');
      return false;
    }
  });
  return {
    async stop() {
      detachRecordPublisher(options.connection);
      detachChangeLogLogger(options.connection);
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

/** What a service process's events wiring reads of its loaded configuration (`@ies/config` sections). */
export interface ServiceEventsConfig {
  jobs: { REDIS_URL: string; QUEUE_PREFIX: string };
  events: { EVENTS_RELAY_POLL_MS: number; EVENTS_STREAM_MAX_LENGTH: number };
}

/** `attachEventPublisher` for a service process, from its loaded configuration. */
export function attachServiceEventPublisher(
  connection: Connection,
  service: string,
  config: ServiceEventsConfig,
  logger: Logger,
): EventPublisher {
  return attachEventPublisher({
    connection,
    redisUrl: config.jobs.REDIS_URL,
    prefix: config.jobs.QUEUE_PREFIX,
    service,
    logger,
    streamMaxLength: config.events.EVENTS_STREAM_MAX_LENGTH,
  });
}
