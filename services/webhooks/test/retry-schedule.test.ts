import {
  DEFAULT_RETRY_SCHEDULE_MS,
  attemptsOf,
  parseRetrySchedule,
  retryDelay,
  scheduleSpanMs,
} from '../src/delivery/retry-schedule';

describe('Webhook retry schedule', () => {
  describe('by default', () => {
    it('spans about three days after the first attempt', () => {
      const hours = scheduleSpanMs(DEFAULT_RETRY_SCHEDULE_MS) / 3_600_000;
      expect(hours).toBeGreaterThan(66);
      expect(hours).toBeLessThan(78);
    });

    it('retries within seconds, then minutes, then hours, never shrinking', () => {
      expect(DEFAULT_RETRY_SCHEDULE_MS.slice(0, 3)).toEqual([5_000, 300_000, 1_800_000]);
      DEFAULT_RETRY_SCHEDULE_MS.forEach((delay, i) => {
        if (i > 0) expect(delay).toBeGreaterThanOrEqual(DEFAULT_RETRY_SCHEDULE_MS[i - 1]!);
      });
      expect(attemptsOf(DEFAULT_RETRY_SCHEDULE_MS)).toBe(11);
    });
  });

  it('gives the delay after each failed attempt, and -1 once the schedule is exhausted', () => {
    const schedule = [5, 50, 500];
    expect([1, 2, 3, 4].map((made) => retryDelay(schedule, made))).toEqual([5, 50, 500, -1]);
    expect(retryDelay(schedule, 0)).toBe(-1);
  });

  it('parses WEBHOOKS_RETRY_SCHEDULE_MS and refuses what is not a list of positive milliseconds', () => {
    expect(parseRetrySchedule('5000, 300000,1800000')).toEqual([5000, 300000, 1800000]);
    for (const text of ['', '5s', '0', '-5', '1,,2', '1.5', Array(31).fill('1').join(',')])
      expect(parseRetrySchedule(text)).toBeNull();
  });
});
