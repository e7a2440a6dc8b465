import { OVERFLOWED, type EventQueue } from './event-hub';
import type { PlatformEvent } from './platform-event';

/**
 * The async iterator graphql-js runs a subscription on: the queue's events one at a time, in order, each
 * resolved (through the supergraph) before the next is taken; an event that resolves to null is skipped.
 * `return()` (the client completed, the socket closed) ends it at once, even while it waits for an event.
 */
export function deliveryStream<T>(
  queue: EventQueue,
  resolve: (event: PlatformEvent) => Promise<T | null>,
  overflowed: () => T,
): AsyncIterableIterator<T> {
  let done = false;
  const finish = (): Promise<IteratorResult<T>> => {
    done = true;
    queue.close();
    return Promise.resolve({ done: true, value: undefined });
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next(): Promise<IteratorResult<T>> {
      while (!done) {
        const item = await queue.next();
        if (item === null || done) break;
        if (item === OVERFLOWED) {
          done = true;
          return { done: false, value: overflowed() };
        }
        const payload = await resolve(item);
        if (payload !== null && !done) return { done: false, value: payload };
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
