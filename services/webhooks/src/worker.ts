import { loadConfigOrExit } from '@ies/config';
import { connectDatabase } from '@ies/db';
import { attachServiceEventPublisher, startConfiguredEventRelay } from '@ies/events';
import { createHealthServer, dependencyReadiness, withShutdown } from '@ies/http-kit';
import { createJobs } from '@ies/jobs';
import { createLogger } from '@ies/logger';
import { connectRedis } from '@ies/redis';
import { hostname } from 'node:os';
import { loadWebhooksConfig } from './config';
import { outboundPolicyOf } from './outbound/outbound-policy';
import { DELIVERY_QUEUE } from './delivery/delivery-queue';
import { startDeliveryWorker } from './delivery/delivery-worker';
import { startPendingSweeper } from './delivery/pending-sweeper';
import { startRetentionSweeper } from './delivery/retention-sweeper';
import { webhookDeliveryModel } from './delivery/webhook-delivery.model';
import { webhookEndpointModel } from './endpoint/webhook-endpoint.model';
import { EventIntake } from './events/event-intake';
import { storedEventModel } from './events/stored-event.model';
import { StoredEvents } from './events/stored-events';
import { WEBHOOKS_GROUP, consumeIntoWebhooks } from './events/webhook-consumer';
import { SUBGRAPH_NAME, createServices, ensureIndexes } from './server';

/**
 * The webhooks worker, a process of its own: consumes the platform's event stream (group `webhooks`),
 * stores each event and schedules its deliveries; runs the delivery queue (BullMQ, retries on the
 * schedule) and sweeps up pending deliveries whose jobs were lost; relays this service's own events
 * (`WebhookEndpointDisabled`) to the stream. Serves `/health/live` and `/health/ready` on
 * `WORKER_HEALTH_PORT`.
 */
async function main() {
  const name = `${SUBGRAPH_NAME}-worker`;
  const config = loadConfigOrExit(name, () => loadWebhooksConfig());
  const logger = createLogger(name, config.log.LOG_LEVEL);
  const connection = await connectDatabase({
    uri: config.database.MONGODB_URI,
    dbName: config.database.WEBHOOKS_DB_NAME,
  });
  // Writers publish their own changes' events at once; the worker's relay takes what they could not.
  const eventPublisher = attachServiceEventPublisher(connection, SUBGRAPH_NAME, config, logger);
  await ensureIndexes(connection);
  const jobs = createJobs({ redisUrl: config.jobs.REDIS_URL, prefix: config.jobs.QUEUE_PREFIX, logger });
  const health = createHealthServer({
    service: name,
    readiness: dependencyReadiness({
      mongodb: () => connection.db!.admin().command({ ping: 1 }),
      redis: () => jobs.checkRedis(),
    }),
  });
  const healthPort = await health.listen(config.worker.WORKER_HEALTH_PORT, config.http.HOST);
  // The stream consumer's connection (it duplicates one for its blocking reads); waits for Redis.
  const redis = await connectRedis({ url: config.jobs.REDIS_URL, maxRetriesPerRequest: null });
  const outbound = outboundPolicyOf(config.webhooks);
  const services = createServices({
    connection,
    jobs,
    secretKey: config.webhooks.WEBHOOKS_SECRET_KEY ?? config.auth.INTERNAL_SIGNING_SECRET,
    outbound,
    schedule: config.webhooks.WEBHOOKS_RETRY_SCHEDULE_MS,
  });
  // One store for the intake and the deliveries: a delivery takes a recent event from its memory.
  const events = new StoredEvents(storedEventModel(connection));
  await startDeliveryWorker({
    jobs,
    deliveries: webhookDeliveryModel(connection),
    events,
    endpointLog: services.log,
    endpoints: services.endpoints,
    outbound,
    schedule: config.webhooks.WEBHOOKS_RETRY_SCHEDULE_MS,
    attemptTimeoutMs: config.webhooks.WEBHOOKS_ATTEMPT_TIMEOUT_MS,
    concurrency: config.webhooks.WEBHOOKS_CONCURRENCY,
    logger,
  });
  // Pending deliveries whose jobs Redis lost (a crash under `appendfsync everysec`, a job failed
  // by stalls) are sent again.
  const sweeper = startPendingSweeper({
    deliveries: webhookDeliveryModel(connection),
    jobs,
    scheduler: services.scheduler,
    logger,
    intervalMs: config.webhooks.WEBHOOKS_SWEEP_INTERVAL_MS,
  });
  // The delivery log's finished rows and the stored events past WEBHOOKS_RETENTION_DAYS are deleted.
  const retention = startRetentionSweeper({
    deliveries: webhookDeliveryModel(connection),
    events: storedEventModel(connection),
    logger,
    retentionDays: config.webhooks.WEBHOOKS_RETENTION_DAYS,
    intervalMs: config.webhooks.WEBHOOKS_RETENTION_SWEEP_MS,
  });
  const intake = new EventIntake({
    events,
    endpoints: webhookEndpointModel(connection),
    endpointLog: services.log,
    scheduler: services.scheduler,
    logger: logger.child({ module: 'event-intake' }),
  });
  const consumer = consumeIntoWebhooks({
    redis,
    prefix: config.jobs.QUEUE_PREFIX,
    consumer: config.webhooks.WEBHOOKS_CONSUMER ?? `${hostname()}-${process.pid}`,
    intake,
    logger,
  });
  // The change log's outbox (WebhookEndpointDisabled), published to the platform's stream.
  const relay = startConfiguredEventRelay(connection, SUBGRAPH_NAME, config, logger, [services.log]);
  withShutdown(logger, async () => {
    await consumer.stop();
    await sweeper.stop();
    await retention.stop();
    await relay.stop();
    await jobs.close();
    await redis.quit();
    await health.close();
    await eventPublisher.stop();
    await connection.close();
  });
  logger.info(
    { queues: [DELIVERY_QUEUE], group: WEBHOOKS_GROUP, prefix: config.jobs.QUEUE_PREFIX, healthPort },
    'worker ready',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${SUBGRAPH_NAME}-worker: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
