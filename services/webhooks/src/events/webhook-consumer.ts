import { consumeEventGroup, type EventConsumer } from '@ies/events';
import type { Logger } from '@ies/logger';
import type { Redis } from '@ies/redis';
import type { EventIntake } from './event-intake';

/** The consumer group of the platform's event stream that feeds webhook deliveries. */
export const WEBHOOKS_GROUP = 'webhooks';

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
    handle: async (event) => {
      await options.intake.take(event);
    },
  });
}
