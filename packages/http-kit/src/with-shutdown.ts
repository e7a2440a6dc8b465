import type { Logger } from '@ies/logger';

/**
 * Runs `close` once on SIGTERM or SIGINT (it drains: requests in flight finish, workers finish their
 * job), then exits 0, or 1 if closing failed.
 *
 * A SIGTERM that comes while closing is the same request again and does not cut the drain short: when
 * a whole process group is signalled (`kill -TERM -<pgid>`, `docker stop`, a supervisor), each process
 * gets the group's SIGTERM and then its parent's as the parent stops its children. What may end a
 * drain early is the platform's SIGKILL after its grace period, or a person: a second SIGINT (Ctrl-C
 * twice) exits at once with 1.
 */
/** Longer than Apollo's drain grace period (10 s), so a drain that can finish does. */
export const DRAIN_TIMEOUT_MS = 20_000;

export function withShutdown(
  logger: Logger,
  close: () => Promise<void>,
  /** A drain that has not finished after this long exits 1 (a connection or a job that never ends). */
  drainTimeoutMs = DRAIN_TIMEOUT_MS,
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      if (signal === 'SIGINT') {
        logger.warn({ signal }, 'interrupted again: exiting without finishing the drain');
        process.exit(1);
      }
      logger.info({ signal }, 'already shutting down: still draining');
      return;
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ drainTimeoutMs }, 'drain did not finish in time: exiting');
      process.exit(1);
    }, drainTimeoutMs).unref();
    close()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
