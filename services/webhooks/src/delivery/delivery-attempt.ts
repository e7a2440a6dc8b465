import type { PostOutcome } from '../outbound/outbound-post';
import type { DeliveryAttempt } from './webhook-delivery.model';

/** Bytes of a response body kept in the delivery log. */
export const EXCERPT_LIMIT = 1024;

/** What an attempt's outcome means for the delivery. */
export type Verdict = 'succeeded' | 'gone' | 'retry';

export function verdictOf(outcome: PostOutcome): Verdict {
  if (outcome.kind === 'error') return 'retry';
  if (outcome.status >= 200 && outcome.status < 300) return 'succeeded';
  if (outcome.status === 410) return 'gone';
  // 3xx (redirects are not followed), 4xx, 5xx: tried again on the schedule.
  return 'retry';
}

/** Cuts text to at most `limit` UTF-8 bytes without splitting a character. */
export function excerpt(text: string, limit = EXCERPT_LIMIT): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return text;
  let end = limit;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

export function attemptRecord(at: Date, outcome: PostOutcome): DeliveryAttempt {
  return outcome.kind === 'response'
    ? {
        at,
        status: outcome.status,
        latencyMs: outcome.latencyMs,
        responseExcerpt: excerpt(outcome.body),
        error: null,
      }
    : {
        at,
        status: null,
        latencyMs: outcome.latencyMs,
        responseExcerpt: null,
        error: excerpt(outcome.message, 300),
      };
}

/**
 * Whether a delivery that failed on every attempt of the schedule disables its endpoint: only when
 * the endpoint has had no successful delivery since that delivery's first attempt (one event the
 * partner cannot take, say a payload its parser chokes on, does not cut off the others).
 */
export function exhaustionDisables(firstAttemptAt: Date, lastSuccessAt: Date | null): boolean {
  return lastSuccessAt === null || lastSuccessAt.getTime() < firstAttemptAt.getTime();
}
