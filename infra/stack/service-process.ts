import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from '@ies/engines';

export interface ServiceProcess {
  name: string;
  url: string;
  stop(): Promise<void>;
  onUnexpectedExit(handler: (code: number | null) => void): void;
}

/**
 * Starts one of our servers from its sources, forwards its log lines, and resolves once it logs that it
 * is listening.
 */
export function startService(
  name: string,
  entry: string,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot(__dirname),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let listening = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      process.stdout.write(`${line}\n`);
      if (listening) return;
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && entry.port) {
          listening = true;
          resolve({
            name,
            url: `http://127.0.0.1:${entry.port}`,
            stop: async () => {
              stopping = true;
              if (child.exitCode === null) child.kill('SIGTERM');
              await exited;
            },
            onUnexpectedExit: (handler) => {
              void exited.then((code) => {
                if (!stopping) handler(code);
              });
            },
          });
        }
      } catch {
        // not a JSON log line
      }
    });
    void exited.then((code) => {
      if (!listening) reject(new Error(`${name} exited with code ${code} before listening`));
    });
  });
}
