import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { repoRoot } from '@ies/engines';

export type LogLine = Record<string, unknown>;

/** A process of ours started by a test, available at once (before it is ready). */
export interface LoggedProcess {
  child: ChildProcess;
  /** Its JSON log lines so far. */
  logs: LogLine[];
  /** Resolves with the first line (already written or to come) that matches; rejects if it exits first. */
  waitForLog(match: (line: LogLine) => boolean): Promise<LogLine>;
  /** How many lines so far match. */
  count(match: (line: LogLine) => boolean): number;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** SIGTERM, then resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs one of our entry points (`services/contracts/src/worker.ts`, through tsx) and hands it back at
 * once, so a test can follow what it logs while it waits for something (a Redis that is down).
 * `startProcess` is for servers that must be listening first.
 */
export function startLoggedProcess(entry: string, env: Record<string, string>): LoggedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot(__dirname),
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const logs: LogLine[] = [];
  const waiters = new Set<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text);
    } catch {
      return;
    }
    logs.push(line);
    for (const waiter of [...waiters]) {
      if (!waiter.match(line)) continue;
      waiters.delete(waiter);
      waiter.resolve(line);
    }
  });
  return {
    child,
    logs,
    exited,
    count: (match) => logs.filter(match).length,
    waitForLog: (match) =>
      new Promise((resolve, reject) => {
        const found = logs.find(match);
        if (found) return resolve(found);
        const waiter = { match, resolve };
        waiters.add(waiter);
        void exited.then((code) => {
          if (waiters.delete(waiter)) reject(new Error(`${entry} exited (${code}) before the awaited line`));
        });
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
