import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { repoRoot } from '@ies/engines';

export type LogLine = Record<string, unknown>;

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
  onUnexpectedExit(handler: (code: number | null) => void): void;
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
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
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
      void exited.then((code) => {
        if (!stopping) handler(code);
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
        void exited.then((code) =>
          reject(new Error(`${name} (${entry}) exited with code ${code} before it was ready:\n${stderr}`)),
        ),
    );
  });
}
