import { connectDatabase } from '@ies/db';
import { createStderrLogger } from '@ies/logger';
import { loadDisputesConfig } from '../config';
import { disputeModel } from '../dispute/dispute.model';
import {
  catchmentPeriods,
  changeLogs,
  createCatchmentPeriodSync,
  createServices,
  ensureIndexes,
} from '../server';
import { DisputeImportTarget } from './dispute-import';
import { formatDisputeLine, parseDisputeLine, type DisputeLine } from './dispute-line';
import type { ImportTarget, ParseResult } from './exchange-types';

export { generateDisputes, type GenerateOptions } from './dispute-generator';
export { formatDisputeLine, parseDisputeLine, type DisputeLine } from './dispute-line';

export interface DisputeExchange {
  /** Applies batches of lines (parsed, or their text) through the service's rules. */
  target: ImportTarget<DisputeLine | string>;
  /** A line's text as a record, or why it is refused (the same check `target` applies). */
  parse(text: string): ParseResult<DisputeLine>;
  /** A record as one line of text, without its newline. */
  format(line: DisputeLine): string;
  /** Every dispute of a catchment, in reference order. */
  exportLines(catchmentId: string): AsyncIterable<DisputeLine>;
  close(): Promise<void>;
}

/**
 * The batch exchange as the CLI uses it (`npm run import|export -- disputes`): the disputes database
 * from the service's own variables (MONGODB_URI, DISPUTES_DB_NAME, INTERNAL_SIGNING_SECRET,
 * CATCHMENTS_SUBGRAPH_URL), and the catchments subgraph of a running stack for catchment periods and
 * SSMs (synchronized once at open; when it does not answer, the copy already in the database is used).
 */
export async function openDisputeExchange(env: NodeJS.ProcessEnv): Promise<DisputeExchange> {
  const config = loadDisputesConfig(env);
  const logger = createStderrLogger('disputes-exchange', env.LOG_LEVEL ?? 'warn');
  const connection = await connectDatabase({
    uri: config.database.MONGODB_URI,
    dbName: config.database.DISPUTES_DB_NAME,
  });
  await ensureIndexes(connection);
  const catchmentSync = createCatchmentPeriodSync({
    connection,
    logger,
    internalSecret: config.auth.INTERNAL_SIGNING_SECRET,
    catchmentsUrl: config.catchments.CATCHMENTS_SUBGRAPH_URL,
  });
  await catchmentSync
    .syncAll()
    .catch((error: unknown) => logger.warn({ err: error }, 'catchment sync failed; using the stored copy'));
  const periods = catchmentPeriods(connection, catchmentSync, logger);
  const services = createServices(connection, periods);
  const target = new DisputeImportTarget({
    disputes: disputeModel(connection),
    log: changeLogs(connection).disputes,
    categories: services.categories,
    policies: services.policies,
    periods,
  });
  return {
    target,
    parse: parseDisputeLine,
    format: formatDisputeLine,
    exportLines: (catchmentId) => target.exportLines(catchmentId),
    close: () => connection.close(),
  };
}
