import { attachServiceEventPublisher } from '@ies/events';
import { loadConfigOrExit } from '@ies/config';
import { connectDatabase } from '@ies/db';
import { createJobs } from '@ies/jobs';
import { createLogger } from '@ies/logger';
import { withShutdown } from '@ies/subgraph-kit';
import { loadWebhooksConfig } from './config';
import { outboundPolicyOf } from './outbound/outbound-policy';
import { SUBGRAPH_NAME, createWebhooksServer, ensureIndexes } from './server';

async function main() {
  const config = loadConfigOrExit(SUBGRAPH_NAME, () => loadWebhooksConfig());
  const logger = createLogger(SUBGRAPH_NAME, config.log.LOG_LEVEL);
  const connection = await connectDatabase({
    uri: config.database.MONGODB_URI,
    dbName: config.database.WEBHOOKS_DB_NAME,
  });
  // Writers publish their own changes' events at once; the worker's relay takes what they could not.
  const eventPublisher = attachServiceEventPublisher(connection, SUBGRAPH_NAME, config, logger);
  await ensureIndexes(connection);
  // The API enqueues replays; the worker delivers.
  const jobs = createJobs({ redisUrl: config.jobs.REDIS_URL, prefix: config.jobs.QUEUE_PREFIX, logger });
  const server = await createWebhooksServer({
    connection,
    jobs,
    logger,
    internalSecret: config.auth.INTERNAL_SIGNING_SECRET,
    internalHeader: {
      maxTtlMs: config.auth.INTERNAL_HEADER_TTL_MS,
      clockSkewMs: config.auth.INTERNAL_HEADER_CLOCK_SKEW_MS,
    },
    secretKey: config.webhooks.WEBHOOKS_SECRET_KEY ?? config.auth.INTERNAL_SIGNING_SECRET,
    outbound: outboundPolicyOf(config.webhooks),
    schedule: config.webhooks.WEBHOOKS_RETRY_SCHEDULE_MS,
  });
  const port = await server.listen(config.http.PORT, config.http.HOST);
  logger.info({ port, host: config.http.HOST, database: config.database.WEBHOOKS_DB_NAME }, 'listening');
  withShutdown(logger, async () => {
    await server.close();
    await jobs.close();
    await eventPublisher.stop();
    await connection.close();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${SUBGRAPH_NAME}: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
