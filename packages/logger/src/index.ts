import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** The root logger of a process; every line carries the service name. */
export function createLogger(service: string, level: string = 'info', options: LoggerOptions = {}): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime, ...options });
}

/**
 * A logger writing to stderr, for command-line tools whose stdout carries data (an NDJSON export), so
 * log lines never mix into it.
 */
export function createStderrLogger(service: string, level: string = 'warn'): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}

/** A child logger whose every line carries the request id. */
export function requestLogger(logger: Logger, requestId: string): Logger {
  return logger.child({ requestId });
}

export const REQUEST_ID_HEADER = 'x-request-id';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a caller's request id when it is well formed, otherwise generates one. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && REQUEST_ID_PATTERN.test(value) ? value : crypto.randomUUID();
}
