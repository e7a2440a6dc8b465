import type { IsoDate } from '@ies/calendar';
import type { ActionPlanClient } from './action-plan-line';

interface Entry {
  eligibleFrom: IsoDate;
  order: number;
  client: ActionPlanClient;
}

/**
 * Clients whose first plan closed and who may come back for a second one, ordered by the day they may
 * start again (then by arrival). A bounded min-heap: the generator keeps at most `capacity` of them,
 * so its memory does not grow with the size of the data set.
 */
export class ReturningClients {
  private readonly heap: Entry[] = [];
  private arrivals = 0;

  constructor(private readonly capacity: number) {}

  /** Adds a client who may start a new plan from `eligibleFrom`; ignored when full. */
  add(client: ActionPlanClient, eligibleFrom: IsoDate): void {
    if (this.heap.length >= this.capacity) return;
    this.heap.push({ eligibleFrom, order: this.arrivals++, client });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** True when some client may start a new plan on `date`. */
  hasReady(date: IsoDate): boolean {
    return this.heap.length > 0 && this.heap[0]!.eligibleFrom <= date;
  }

  /** Takes the client who has been eligible longest. */
  take(): ActionPlanClient {
    const top = this.heap[0];
    if (!top) throw new Error('No returning client to take');
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.heap.length && this.before(left, smallest)) smallest = left;
        if (right < this.heap.length && this.before(right, smallest)) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return top.client;
  }

  get size(): number {
    return this.heap.length;
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.eligibleFrom < y.eligibleFrom || (x.eligibleFrom === y.eligibleFrom && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b]!, this.heap[a]!];
  }
}
