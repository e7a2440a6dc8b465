import { OVERFLOWED, type EventQueue } from './event-hub';
import type { PlatformEvent } from './platform-event';

/** Events of one subscription whose payloads are read at once (their messages still go in order). */
export const READS_IN_FLIGHT = 16;

/**
 * Reads started together, once that many places are free (or none is in flight): reads started in
 * the same turn go through the supergraph as one query (batched-reads.ts), so the window refills a
 * group at a time rather than one read at a time.
 */
export const READ_GROUP = 8;

type Read<T> = { payload: T | null } | { error: unknown };

/**
 * The async iterator graphql-js runs a subscription on: the queue's events in order, each resolved
 * (through the supergraph); an event that resolves to null is skipped. While the head event's payload
 * is read, the reads of up to `readsInFlight - 1` events already waiting behind it run too, so a burst
 * costs one read's latency rather than one per event; messages still leave in stream order. Waiting
 * events are started `readGroup` at a time (when nothing is in flight, whatever is waiting), so each
 * group is read as one query.
 * `return()` (the client completed, the socket closed) ends it at once, even while it waits for an event.
 */
export function deliveryStream<T>(
  queue: EventQueue,
  resolve: (event: PlatformEvent) => Promise<T | null>,
  overflowed: () => T,
  readsInFlight = READS_IN_FLIGHT,
  readGroup = Math.min(READ_GROUP, readsInFlight),
): AsyncIterableIterator<T> {
  let done = false;
  const reads: Promise<Read<T>>[] = [];
  const start = (event: PlatformEvent) =>
    reads.push(
      resolve(event).then(
        (payload) => ({ payload }),
        (error: unknown) => ({ error }),
      ),
    );
  const finish = (): Promise<IteratorResult<T>> => {
    done = true;
    reads.length = 0;
    queue.close();
    return Promise.resolve({ done: true, value: undefined });
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next(): Promise<IteratorResult<T>> {
      while (!done) {
        if (reads.length === 0) {
          const item = await queue.next();
          if (item === null || done) break;
          if (item === OVERFLOWED) {
            done = true;
            return { done: false, value: overflowed() };
          }
          start(item);
        }
        // Fill the window when a whole group fits (or only the head is reading): reads started in one
        // turn are read as one query.
        if (reads.length === 1 || readsInFlight - reads.length >= readGroup) {
          while (reads.length < readsInFlight) {
            const waiting = queue.take();
            if (!waiting) break;
            start(waiting);
          }
        }
        const read = await reads.shift()!;
        if (done) break;
        if ('error' in read) throw read.error;
        if (read.payload !== null) return { done: false, value: read.payload };
      }
      return finish();
    },
    return: finish,
    throw: async (error: unknown) => {
      await finish();
      throw error;
    },
  };
}
