import { EventEmitter } from 'node:events';
import {
  DEFAULT_RESTART_POLICY,
  decideRestart,
  isFailure,
  type RestartDecision,
  type RestartPolicy,
} from './restart-policy';
import { describeExit, type LogLine, type ProcessExit, type ServiceProcess } from './service-process';

/** A process's unexpected end, and what the supervisor does about it. */
export interface SupervisedExit {
  name: string;
  /** The exit, or null when a restart failed before the process was ready. */
  exit: ProcessExit | null;
  /** Why a restart failed (its error's first lines), when it did. */
  startError?: string;
  decision: RestartDecision;
}

export interface SupervisorEvents<P> {
  /** The process died (or a restart failed): the decision says whether and when it restarts. */
  exit: [SupervisedExit];
  /** A restarted process is ready. */
  restarted: [P];
  /** Too many failures in a row: the process stays down. */
  'gave up': [SupervisedExit];
  /** The process ended cleanly (exit 0 or SIGTERM, SIGINT…) without the supervisor asking: not restarted. */
  'exited cleanly': [ProcessExit];
}

export interface SupervisorOptions<P> {
  name: string;
  /** Starts the process and resolves once it is ready (the same port and environment every time). */
  start: () => Promise<P>;
  policy?: RestartPolicy;
  /** Lines saying what happened and what it does (`npm start` prints them): exits, restarts, give-up. */
  log?: (line: string) => void;
}

/**
 * Keeps one of the stack's processes running: when it exits without having been asked to stop, says why
 * (code or signal, last stderr lines) and starts it again after the policy's backoff, until the policy
 * says to give up. The first start is not supervised: a process that cannot start at all fails the
 * stack's start, as before.
 */
export class Supervisor<P extends ServiceProcess> extends EventEmitter<SupervisorEvents<P>> {
  readonly name: string;
  private process: P | undefined;
  private readyAt = 0;
  private failuresInARow = 0;
  private stopping = false;
  private pendingRestart: NodeJS.Timeout | undefined;
  private starting: Promise<void> | undefined;
  private readonly policy: RestartPolicy;
  private readonly log: (line: string) => void;

  constructor(private readonly options: SupervisorOptions<P>) {
    super();
    this.name = options.name;
    this.policy = options.policy ?? DEFAULT_RESTART_POLICY;
    this.log = options.log ?? (() => {});
  }

  /** The process running now (a restart replaces it). */
  get current(): P {
    if (!this.process) throw new Error(`${this.name} has not been started`);
    return this.process;
  }

  /** First start: resolves with the ready process, or rejects as the start function does. */
  async start(): Promise<P> {
    this.watch(await this.options.start());
    return this.current;
  }

  /** Stops supervising (a pending restart is cancelled) and stops the process (it drains). */
  async stop(): Promise<void> {
    this.standDown();
    await this.starting;
    await this.process?.stop();
  }

  /** Stops supervising without stopping the process: whatever it does next, it is not restarted. */
  standDown(): void {
    this.stopping = true;
    clearTimeout(this.pendingRestart);
  }

  private watch(process: P): void {
    this.process = process;
    this.readyAt = Date.now();
    process.onUnexpectedExit((exit) => {
      if (this.stopping) return;
      if (isFailure(exit)) return this.onFailure(exit, Date.now() - this.readyAt);
      this.log(`${this.name} exited cleanly (${describeExit(exit)}): stopped from outside, not restarting`);
      this.emit('exited cleanly', exit);
    });
  }

  private onFailure(exit: ProcessExit | null, upForMs: number | null, startError?: string): void {
    if (this.stopping) return;
    const decision = decideRestart(this.failuresInARow, upForMs, this.policy);
    this.failuresInARow = decision.failuresInARow;
    const event: SupervisedExit = { name: this.name, exit, startError, decision };
    if (exit) {
      this.log(`${this.name} exited unexpectedly (${describeExit(exit)})`);
      for (const line of exit.lastStderrLines) this.log(`${this.name}   stderr: ${line}`);
    } else {
      this.log(`${this.name} failed to restart`);
      for (const line of startError?.split('\n') ?? []) this.log(`${this.name}   ${line}`);
    }
    if (decision.action === 'give up') {
      this.log(`${this.name} failed ${decision.failuresInARow} times in a row: giving up, it stays down`);
      this.emit('exit', event);
      this.emit('gave up', event);
      return;
    }
    this.log(
      `${this.name} restarting in ${(decision.delayMs / 1000).toFixed(1)} s (failure ${decision.failuresInARow} in a row)`,
    );
    this.emit('exit', event);
    this.pendingRestart = setTimeout(() => {
      this.starting = this.restart();
    }, decision.delayMs);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    let process: P;
    try {
      process = await this.options.start();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.onFailure(null, null, message.split('\n').slice(0, 12).join('\n'));
      return;
    }
    if (this.stopping) {
      await process.stop();
      return;
    }
    this.watch(process);
    this.log(`${this.name} restarted (pid ${process.child.pid})`);
    this.emit('restarted', process);
  }
}

/**
 * A handle that stays valid across restarts: `child` and `logs` are the current process's, `stop()`
 * stops supervising and the process, and `onUnexpectedExit` fires when the supervisor gives up.
 */
export function supervisedHandle<P extends ServiceProcess>(supervisor: Supervisor<P>): P {
  const first = supervisor.current;
  const handle = { ...first } as P;
  Object.defineProperties(handle, {
    child: { get: () => supervisor.current.child, enumerable: true },
    logs: { get: (): LogLine[] => supervisor.current.logs, enumerable: true },
  });
  handle.waitForLog = (match) => supervisor.current.waitForLog(match);
  handle.stop = () => supervisor.stop();
  handle.onUnexpectedExit = (handler) =>
    supervisor.on('gave up', ({ exit }) =>
      handler(exit ?? { code: null, signal: null, lastStderrLines: [] }),
    );
  return handle;
}
