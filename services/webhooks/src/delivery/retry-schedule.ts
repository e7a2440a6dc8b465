/**
 * When a failed delivery is tried again: the delay before each retry, in milliseconds. The default
 * spans about three days (71 h 35 min after the first attempt), front-loaded so that a receiver that
 * blinks is caught up within minutes and one that is down for a weekend still gets its events.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, // 5 s
  300_000, // 5 min
  1_800_000, // 30 min
  7_200_000, // 2 h
  18_000_000, // 5 h
  36_000_000, // 10 h
  36_000_000, // 10 h
  36_000_000, // 10 h
  50_400_000, // 14 h
  72_000_000, // 20 h
];

/** Attempts a delivery gets: the first one, then one per delay of the schedule. */
export const attemptsOf = (schedule: readonly number[]): number => schedule.length + 1;

/**
 * The delay before the next attempt after `attemptsMade` attempts failed (BullMQ counts from 1), or
 * -1 when the schedule is exhausted (BullMQ then fails the job for good).
 */
export function retryDelay(schedule: readonly number[], attemptsMade: number): number {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1 || attemptsMade > schedule.length) return -1;
  return schedule[attemptsMade - 1]!;
}

/** How long after the first attempt the last one happens. */
export const scheduleSpanMs = (schedule: readonly number[]): number =>
  schedule.reduce((sum, delay) => sum + delay, 0);

/** Parses `WEBHOOKS_RETRY_SCHEDULE_MS` (comma-separated milliseconds); null when it is not one. */
export function parseRetrySchedule(text: string): number[] | null {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.length > 30) return null;
  const delays = parts.map((part) => (/^\d{1,10}$/.test(part) ? Number(part) : NaN));
  return delays.every((d) => Number.isInteger(d) && d >= 1) ? delays : null;
}
