import { DEFAULT_RESTART_POLICY, decideRestart, isFailure, restartDelayMs, type RestartPolicy } from '../src';

const policy: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxFailuresInARow: 10,
};

describe('Restart policy', () => {
  describe('the backoff schedule', () => {
    it('doubles from 1 s with each failure in a row and stops at 30 s', () => {
      expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => restartDelayMs(n, policy))).toEqual([
        1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
      ]);
    });

    it('stays at the cap however many failures there were', () => {
      expect(restartDelayMs(10_000, policy)).toBe(30_000);
    });

    it('is the default policy', () => {
      expect(DEFAULT_RESTART_POLICY).toEqual(policy);
    });
  });

  describe('after a process dies', () => {
    it('restarts after the first delay when it is the first failure', () => {
      expect(decideRestart(0, 5_000, policy)).toEqual({
        action: 'restart',
        failuresInARow: 1,
        delayMs: 1_000,
      });
    });

    it('backs off further when it died soon after the last restart', () => {
      expect(decideRestart(3, 5_000, policy)).toEqual({
        action: 'restart',
        failuresInARow: 4,
        delayMs: 8_000,
      });
    });

    it('counts a restart that failed before it was ready as a failure in a row', () => {
      expect(decideRestart(1, null, policy)).toEqual({
        action: 'restart',
        failuresInARow: 2,
        delayMs: 2_000,
      });
    });

    it('forgives earlier failures once the process stayed up long enough', () => {
      expect(decideRestart(9, 60_000, policy)).toEqual({
        action: 'restart',
        failuresInARow: 1,
        delayMs: 1_000,
      });
    });

    it('gives up after too many failures in a row', () => {
      expect(decideRestart(9, 5_000, policy)).toEqual({
        action: 'restart',
        failuresInARow: 10,
        delayMs: 30_000,
      });
      expect(decideRestart(10, 5_000, policy)).toEqual({ action: 'give up', failuresInARow: 11 });
    });
  });

  describe('which exits are failures', () => {
    it('counts a non-zero code and a killing signal as failures', () => {
      expect(isFailure({ code: 1, signal: null })).toBe(true);
      expect(isFailure({ code: null, signal: 'SIGKILL' })).toBe(true);
      expect(isFailure({ code: null, signal: 'SIGSEGV' })).toBe(true);
    });

    it('counts exit 0 and the stopping signals as a stop on purpose', () => {
      expect(isFailure({ code: 0, signal: null })).toBe(false);
      for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGPIPE']) {
        expect(isFailure({ code: null, signal })).toBe(false);
      }
    });
  });
});
