import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { repoRoot } from '@ies/engines';

export interface RunningProcess {
  port: number;
  url: string;
  /** Log lines (parsed JSON) the process has written so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line (already written or still to come) that matches. */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs one of our servers (`src/main.ts` through tsx) as a real child process and resolves when it
 * logs its `listening` line, which carries the port it bound (tests pass PORT=0).
 */
export function startProcess(entry: string, env: Record<string, string>): Promise<RunningProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot(),
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const lines = new EventEmitter();
  const waitForLog = (match: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const found = logs.find(match);
      if (found) return resolve(found);
      const onLine = (line: Record<string, unknown>) => {
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
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      logs.push(entry);
      lines.emit('line', entry);
      if (entry.msg === 'listening' && typeof entry.port === 'number') {
        resolve({ port: entry.port, url: `http://127.0.0.1:${entry.port}`, logs, waitForLog, child, stop });
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`${entry} exited with code ${code} before listening:\n${stderr}`)),
    );
  });
}
