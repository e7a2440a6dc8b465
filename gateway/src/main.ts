import { loadConfigOrExit } from '@ies/config';
import { createLogger } from '@ies/logger';
import { withShutdown } from '@ies/http-kit';
import { loadGatewayConfig } from './config';
import { createGatewayServer } from './server';

async function main() {
  const config = loadConfigOrExit('gateway', () => loadGatewayConfig());
  const logger = createLogger('gateway', config.log.LOG_LEVEL);
  const server = await createGatewayServer(config, logger);
  const port = await server.listen(config.http.PORT, config.http.HOST);
  logger.info({ port, host: config.http.HOST, subgraphs: config.subgraphUrls }, 'listening');
  withShutdown(logger, () => server.close());
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
