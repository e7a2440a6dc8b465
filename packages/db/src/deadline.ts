import { AsyncLocalStorage } from 'node:async_hooks';
import type { Aggregate, Query, Schema } from 'mongoose';

/** The time a piece of work (one request) has left; queries run within it are bounded by it. */
export interface Deadline {
  /** Milliseconds left; zero or less once the deadline has passed (or the caller has gone away). */
  remainingMs(): number;
}

/** A query refused because the deadline of the work it belongs to had already passed. */
export class DeadlineExceededError extends Error {
  constructor() {
    super('the deadline of this work passed before the query was sent');
    this.name = 'DeadlineExceededError';
  }
}

const current = new AsyncLocalStorage<Deadline>();

/** Runs `work` with `deadline` bounding every query it sends (through `deadlinePlugin`). */
export const withDeadline = <T>(deadline: Deadline, work: () => T): T => current.run(deadline, work);

/** The `maxTimeMS` a query sent now gets: the time left, rounded up; null outside `withDeadline`. */
function maxTimeNow(): number | null {
  const deadline = current.getStore();
  if (!deadline) return null;
  const remaining = deadline.remainingMs();
  if (!(remaining > 0)) throw new DeadlineExceededError();
  return Math.ceil(remaining);
}

/**
 * Refuses to go on once the deadline of the current work has passed (`DeadlineExceededError`); nothing
 * outside `withDeadline`. For writes, which `maxTimeMS` does not bound: a change whose caller has
 * already been told it failed (the gateway answered DEADLINE_EXCEEDED) must not then be written.
 */
export function checkDeadline(): void {
  maxTimeNow();
}

/** Commands FerretDB 1.24 bounds with `maxTimeMS` (it accepts and ignores it on `count`; `distinct` not at all). */
const QUERIES: ('find' | 'findOne' | 'countDocuments')[] = ['find', 'findOne', 'countDocuments'];

/**
 * A mongoose plugin (registered on every connection by `connectDatabase`): a query or aggregation sent
 * inside `withDeadline` gets `maxTimeMS` = the time left, so the engine abandons work nobody waits for;
 * one sent after the deadline is refused before it leaves (`DeadlineExceededError`). An explicit
 * `maxTimeMS` is kept; work outside any deadline (jobs, start-up) is left alone.
 */
export function deadlinePlugin(schema: Schema): void {
  schema.pre(QUERIES, function bound(this: Query<unknown, unknown>) {
    const maxTimeMS = maxTimeNow();
    if (maxTimeMS !== null && this.getOptions().maxTimeMS === undefined) this.maxTimeMS(maxTimeMS);
  });
  schema.pre('aggregate', function bound(this: Aggregate<unknown>) {
    const maxTimeMS = maxTimeNow();
    if (maxTimeMS !== null && this.options.maxTimeMS === undefined) this.option({ maxTimeMS });
  });
}
