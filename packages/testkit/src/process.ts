import { startServerProcess, type ServerProcess } from '@ies/service-launcher';

/** A server started by a test: port, url, its log lines, `waitForLog`, `stop`. */
export type RunningProcess = ServerProcess;

/**
 * Runs one of our servers (`src/main.ts` through tsx) as a real child process and resolves when it
 * logs its `listening` line, which carries the port it bound (PORT=0 unless the test says otherwise).
 * The one process starter shared with `npm start` lives in @ies/service-launcher.
 */
export function startProcess(entry: string, env: Record<string, string>): Promise<RunningProcess> {
  return startServerProcess({ name: entry, entry, env: { PORT: '0', LOG_LEVEL: 'info', ...env } });
}
