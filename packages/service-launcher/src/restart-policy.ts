/**
 * When a supervised process that died is started again: exponential backoff over a run of rapid
 * failures, forgiven once the process has stayed up for a while, and a limit after which restarting
 * is pointless (a broken build or configuration, not a passing fault).
 */
export interface RestartPolicy {
  /** Delay before the first restart of a run of failures. */
  initialDelayMs: number;
  /** The delay doubles with each failure in a row, up to this. */
  maxDelayMs: number;
  /** A process that stayed up this long before it died starts a new run (its failures are forgiven). */
  stableAfterMs: number;
  /** Give up after this many failures in a row. */
  maxFailuresInARow: number;
}

/** 1 s, 2 s, 4 s… capped at 30 s; forgiven after 60 s up; give up after 10 failures in a row (~3 min). */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxFailuresInARow: 10,
};

/** Delay before the restart that follows the `failuresInARow`-th failure in a row (1-based). */
export function restartDelayMs(
  failuresInARow: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): number {
  const doublings = Math.max(0, failuresInARow - 1);
  // Past ~30 doublings the exact power no longer matters, and 2 ** n stays a finite number.
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(doublings, 30));
}

export type RestartDecision =
  | { action: 'restart'; failuresInARow: number; delayMs: number }
  | { action: 'give up'; failuresInARow: number };

/**
 * What to do when a supervised process has died: `upForMs` is how long it had been ready (null when it
 * died before it was ready), `failuresInARow` how many failures preceded this one without a stable run.
 */
export function decideRestart(
  failuresInARow: number,
  upForMs: number | null,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): RestartDecision {
  const stable = upForMs !== null && upForMs >= policy.stableAfterMs;
  const failures = (stable ? 0 : failuresInARow) + 1;
  if (failures > policy.maxFailuresInARow) return { action: 'give up', failuresInARow: failures };
  return { action: 'restart', failuresInARow: failures, delayMs: restartDelayMs(failures, policy) };
}

/** Signals that stop a process on purpose: a clean end, as systemd's `Restart=on-failure` counts them. */
const CLEAN_SIGNALS: ReadonlySet<string> = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGPIPE']);

/**
 * Whether an exit is a failure to restart after: a non-zero code, or a signal other than the clean ones.
 * Exit 0 (a drain that finished) and a clean signal mean someone stopped the process on purpose (a
 * Ctrl-C reaches every process of the group before `npm start` stops them itself): not restarted.
 */
export function isFailure(exit: { code: number | null; signal: string | null }): boolean {
  if (exit.signal) return !CLEAN_SIGNALS.has(exit.signal);
  return exit.code !== 0;
}
