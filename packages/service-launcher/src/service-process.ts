import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { repoRoot } from '@ies/engines';

export type LogLine = Record<string, unknown>;

/** How a process ended: its exit code or the signal that killed it, and what it said last on stderr. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines it wrote to stderr (a stack trace, a failed start), oldest first. */
  lastStderrLines: string[];
}

/** How many stderr lines a `ProcessExit` keeps. */
const STDERR_LINES_KEPT = 10;

/** One of our processes (a server or a worker) started from its sources through tsx. */
export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Log lines (parsed JSON) the process has written so far. */
  logs: LogLine[];
  /** Resolves with the first log line (already written or still to come) that matches. */
  waitForLog(match: (line: LogLine) => boolean): Promise<LogLine>;
  /** SIGTERM, then resolves once the process has exited (it drains first). */
  stop(): Promise<void>;
  /** Called if the process exits without `stop()` having been asked for. */
  onUnexpectedExit(handler: (exit: ProcessExit) => void): void;
}

/** A server process: it logged `listening` with the port it bound. */
export interface ServerProcess extends ServiceProcess {
  port: number;
  url: string;
}

export interface StartOptions {
  name: string;
  /** Path from the repository root, e.g. `services/contracts/src/main.ts`. */
  entry: string;
  /** Added to this process's environment. */
  env: Record<string, string>;
  /** Echo the child's stdout and stderr (as `npm start` does); otherwise only keep them. */
  forwardOutput?: boolean;
}

/** The line a worker process logs once it consumes its queues. */
export const WORKER_READY_MESSAGE = 'worker ready';

/** Starts a server and resolves once it logs `listening` with its port (pass PORT=0 for any free one). */
export async function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  const { handle, readyLine } = await spawnService(
    options,
    (line) => line.msg === 'listening' && typeof line.port === 'number',
  );
  const port = readyLine.port as number;
  return Object.assign(handle, { port, url: `http://127.0.0.1:${port}` });
}

/** Starts a worker and resolves once it logs `worker ready`. */
export async function startWorkerProcess(options: StartOptions): Promise<ServiceProcess> {
  return (await spawnService(options, (line) => line.msg === WORKER_READY_MESSAGE)).handle;
}

function spawnService(
  options: StartOptions,
  isReady: (line: LogLine) => boolean,
): Promise<{ handle: ServiceProcess; readyLine: LogLine }> {
  const { name, entry } = options;
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot(__dirname),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const lines = new EventEmitter();
  let stopping = false;
  let stderr = '';
  // 'close', not 'exit': by then stderr has been read to its end (a crash's stack trace included).
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('close', (code, signal) =>
      resolve({ code, signal, lastStderrLines: lastLines(stderr, STDERR_LINES_KEPT) }),
    ),
  );
  child.stderr!.on('data', (chunk: Buffer) => {
    if (options.forwardOutput) process.stderr.write(chunk);
    stderr = (stderr + chunk.toString()).slice(-8000);
  });

  const waitForLog = (match: (line: LogLine) => boolean) =>
    new Promise<LogLine>((resolve, reject) => {
      const found = logs.find(match);
      if (found) return resolve(found);
      const onLine = (line: LogLine) => {
        if (!match(line)) return;
        lines.off('line', onLine);
        child.off('exit', onExit);
        resolve(line);
      };
      const onExit = () => {
        lines.off('line', onLine);
        reject(new Error(`${entry} exited before logging the awaited line`));
      };
      lines.on('line', onLine);
      child.once('exit', onExit);
    });

  const handle: ServiceProcess = {
    name,
    child,
    logs,
    waitForLog,
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
    onUnexpectedExit: (handler) => {
      void exited.then((exit) => {
        if (!stopping) handler(exit);
      });
    },
  };

  createInterface({ input: child.stdout! }).on('line', (text) => {
    if (options.forwardOutput) process.stdout.write(`${text}\n`);
    let line: LogLine;
    try {
      line = JSON.parse(text);
    } catch {
      return; // not a JSON log line
    }
    logs.push(line);
    lines.emit('line', line);
  });

  return new Promise((resolve, reject) => {
    waitForLog(isReady).then(
      (readyLine) => resolve({ handle, readyLine }),
      () =>
        void exited.then(({ code, signal }) =>
          reject(
            new Error(
              `${name} (${entry}) exited (${describeExit({ code, signal })}) before it was ready:\n${stderr}`,
            ),
          ),
        ),
    );
  });
}

/** `code 1`, `signal SIGKILL`: how a process ended, for a log line. */
export function describeExit(exit: Pick<ProcessExit, 'code' | 'signal'>): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

function lastLines(text: string, count: number): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .slice(-count);
}
