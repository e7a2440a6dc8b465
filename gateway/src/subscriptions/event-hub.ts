import type { PlatformEvent } from './platform-event';

/** What a queue yields once its subscriber fell `maxPending` events behind: it ends there. */
export const OVERFLOWED = Symbol('overflowed');

/**
 * The events one subscription has yet to take, in stream order. At most `maxPending` wait: a subscriber
 * that falls further behind gets `OVERFLOWED` and nothing more, so one slow socket cannot hold the
 * gateway's memory.
 */
export class EventQueue {
  private readonly pending: PlatformEvent[] = [];
  private waiter: ((item: PlatformEvent | typeof OVERFLOWED | null) => void) | null = null;
  private state: 'open' | 'overflowed' | 'closed' = 'open';

  constructor(
    private readonly maxPending: number,
    private readonly onClose: () => void,
  ) {}

  push(event: PlatformEvent): void {
    if (this.state !== 'open') return;
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter(event);
    } else if (this.pending.length < this.maxPending) {
      this.pending.push(event);
    } else {
      this.state = 'overflowed';
      this.pending.length = 0;
      this.onClose();
    }
  }

  /** The next event, `OVERFLOWED` once (then null), or null when closed. */
  next(): Promise<PlatformEvent | typeof OVERFLOWED | null> {
    const event = this.pending.shift();
    if (event) return Promise.resolve(event);
    if (this.state === 'overflowed') {
      this.state = 'closed';
      return Promise.resolve(OVERFLOWED);
    }
    if (this.state === 'closed') return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.pending.length = 0;
    this.onClose();
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(null);
  }
}

/**
 * The gateway's fan-out of the platform's event stream: one reader of the stream per gateway instance
 * publishes here, and each subscription holds a queue of the events it accepts.
 */
export class EventHub {
  private readonly queues = new Map<EventQueue, (event: PlatformEvent) => boolean>();

  publish(event: PlatformEvent): void {
    for (const [queue, accepts] of this.queues) {
      if (accepts(event)) queue.push(event);
    }
  }

  queue(accepts: (event: PlatformEvent) => boolean, maxPending: number): EventQueue {
    const queue: EventQueue = new EventQueue(maxPending, () => this.queues.delete(queue));
    this.queues.set(queue, accepts);
    return queue;
  }

  /** Subscriptions listening now. */
  get size(): number {
    return this.queues.size;
  }

  /** Ends every queue (shutdown). */
  close(): void {
    for (const queue of [...this.queues.keys()]) queue.close();
  }
}
