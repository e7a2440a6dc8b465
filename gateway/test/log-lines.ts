import { createLogger, type Logger } from '@ies/logger';

export interface LogLine {
  msg: string;
  [field: string]: unknown;
}

export interface LogLines {
  /** A logger that writes nothing and keeps every line it is given (its children's too). */
  logger: Logger;
  /** The first line (already logged, or still to come) that passes `match`. */
  first(match: (line: LogLine) => boolean): Promise<LogLine>;
}

/** Captures a server's log lines so a test can await the one that says what it did. */
export function logLines(service: string): LogLines {
  const lines: LogLine[] = [];
  const waiting: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  const logger = createLogger(service, 'info', {
    hooks: {
      logMethod(args) {
        const [first, second] = args as unknown[];
        const line: LogLine =
          typeof first === 'object' && first !== null
            ? { ...(first as object), msg: second as string }
            : { msg: first as string };
        lines.push(line);
        for (const waiter of waiting.filter((w) => w.match(line))) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      },
    },
  });
  return {
    logger,
    first: (match) => {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiting.push({ match, resolve }));
    },
  };
}
