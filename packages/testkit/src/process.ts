import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from '@ies/engines';

export interface RunningProcess {
  port: number;
  url: string;
  /** Log lines (parsed JSON) the process has written so far. */
  logs: Record<string, unknown>[];
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
      if (entry.msg === 'listening' && typeof entry.port === 'number') {
        resolve({ port: entry.port, url: `http://127.0.0.1:${entry.port}`, logs, child, stop });
      }
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited with code ${code} before listening:\n${stderr}`)));
  });
}
