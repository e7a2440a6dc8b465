import { consumeEventGroup, type EventConsumer } from '@ies/events';
import type { Logger } from '@ies/logger';
import type { Redis } from '@ies/redis';
import type { EventIntake } from './event-intake';

/** The consumer group of the platform's event stream that feeds webhook deliveries. */
export const WEBHOOKS_GROUP = 'webhooks';

/**
 * Events taken in at once: an intake is a few round trips (store the event, read the enabled
 * endpoints, schedule deliveries) and order does not matter to it (deliveries are independent jobs),
 * so a burst is taken in 16 at a time rather than one after another.
 */
export const INTAKE_CONCURRENCY = 16;

/**
 * The webhooks worker's reader of the platform's stream: group `webhooks`, each event taken in once
 * per group (a failed intake stays pending and is claimed again), acknowledged once its deliveries
 * are scheduled.
 */
export function consumeIntoWebhooks(options: {
  redis: Redis;
  prefix: string;
  consumer: string;
  intake: EventIntake;
  logger: Logger;
  claimIdleMs?: number;
}): EventConsumer {
  return consumeEventGroup({
    redis: options.redis,
    prefix: options.prefix,
    group: WEBHOOKS_GROUP,
    consumer: options.consumer,
    logger: options.logger,
    claimIdleMs: options.claimIdleMs,
    concurrency: INTAKE_CONCURRENCY,
    handle: async (event) => {
      await options.intake.take(event);
    },
  });
}
