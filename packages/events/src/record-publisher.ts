import type { Connection } from 'mongoose';
import { attachRecordPublisher, detachRecordPublisher, type ChangeRecord } from '@ies/change-log';
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
 * KEYS[1] the stream, KEYS[2] the subject's published version. ARGV: mode (`next`: only when the
 * stored version is the record's version − 1, a creation when none is stored; `any`: always), the
 * record's version, the key's time to live (ms), MAXLEN, then each event's stream fields as a JSON
 * array. Appends the events and raises the stored version in one step: 1, or 0 when `next` declined.
 */
const PUBLISH_RECORD_LUA = `
local stored = tonumber(redis.call('GET', KEYS[2]) or '0')
local version = tonumber(ARGV[2])
if ARGV[1] == 'next' and stored ~= version - 1 then return 0 end
for i = 5, #ARGV do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', unpack(cjson.decode(ARGV[i])))
end
if version >= stored then redis.call('SET', KEYS[2], version, 'PX', ARGV[3]) end
return 1
`;

type PublishingRedis = Redis & {
  iesPublishRecord(...args: (string | number)[]): Promise<number>;
};

function publishing(redis: Redis): PublishingRedis {
  const candidate = redis as PublishingRedis;
  if (typeof candidate.iesPublishRecord !== 'function') {
    redis.defineCommand('iesPublishRecord', { numberOfKeys: 2, lua: PUBLISH_RECORD_LUA });
  }
  return candidate;
}

/** What of a change-log record goes on the stream. */
export type PublishableRecord = Pick<ChangeRecord<object>, 'subject' | 'version' | 'events'>;

function publishArgs(
  prefix: string,
  service: string,
  record: PublishableRecord,
  mode: 'next' | 'any',
  maxLength: number,
): (string | number)[] {
  return [
    eventStreamKey(prefix),
    publishedVersionKey(prefix, record.subject),
    mode,
    record.version,
    PUBLISHED_VERSION_TTL_MS,
    maxLength,
    ...(record.events ?? []).map((event) => JSON.stringify(streamFields(service, event))),
  ];
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
  const args = publishArgs(prefix, service, record, 'next', options.maxLength ?? DEFAULT_STREAM_MAX_LENGTH);
  return (await publishing(redis).iesPublishRecord(...args)) === 1;
}

/**
 * Publishes records' events as the relay does, in the order given (the relay's order keeps each
 * subject's versions in order), one pipeline: each record's events, and its subject's published
 * version raised, in one step. Resolves once Redis has them all.
 */
export async function publishRecords(
  redis: Redis,
  prefix: string,
  service: string,
  records: PublishableRecord[],
  options: { maxLength?: number } = {},
): Promise<void> {
  if (records.length === 0) return;
  const maxLength = options.maxLength ?? DEFAULT_STREAM_MAX_LENGTH;
  const pipeline = publishing(redis).pipeline() as ReturnType<Redis['pipeline']> & {
    iesPublishRecord(...args: (string | number)[]): unknown;
  };
  for (const record of records)
    pipeline.iesPublishRecord(...publishArgs(prefix, service, record, 'any', maxLength));
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
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
  attachRecordPublisher(options.connection, async (record) => {
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
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
