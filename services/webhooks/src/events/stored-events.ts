import { BoundedCache } from '@ies/bounded-cache';
import { coalescedInserts } from '@ies/db';
import type { StoredEventDoc, StoredEventModel } from './stored-event.model';

/** Stored events a worker keeps in memory (those it stored or read last), for the deliveries that follow. */
export const RECENT_EVENTS = 2_000;
/** And at most this many bytes of their bodies (a UTF-16 character is two). */
export const RECENT_EVENT_BYTES = 8 * 1024 * 1024;

/**
 * The webhooks worker's stored events. An event is stored once, by its id (a second intake stores
 * nothing and takes the first body); the intakes of a burst are stored in one insert. A stored event
 * never changes, so the worker keeps the ones it stored or read last in memory (frozen copies, within
 * a count and a byte budget) and a delivery of one of them (its first attempt, usually a few
 * milliseconds after the intake) does not read it again; any other is read.
 */
export class StoredEvents {
  private readonly insert: (doc: object) => Promise<'inserted' | 'duplicate'>;
  /**
   * Frozen copies of the latest events, weighed by their bodies (a UTF-16 character is two bytes).
   * One event over a quarter of the budget is not kept (it would push most others out): it is read
   * when needed.
   */
  private readonly recent: BoundedCache<StoredEventDoc>;

  constructor(
    private readonly model: StoredEventModel,
    recent = RECENT_EVENTS,
    recentBytes = RECENT_EVENT_BYTES,
  ) {
    this.insert = coalescedInserts(model);
    this.recent = new BoundedCache({
      maxBytes: recentBytes,
      maxEntries: recent,
      sizeOf: (event) => event.body.length * 2,
    });
  }

  /** Stores the event unless its id is stored already; answers the event as stored (the first body). */
  async store(event: StoredEventDoc): Promise<StoredEventDoc> {
    if ((await this.insert(event)) === 'inserted') return this.remember(event);
    const stored = await this.byId(event._id);
    // Gone between the duplicate and the read only if the retention sweep deleted it meanwhile (an
    // event redelivered from a stream older than WEBHOOKS_RETENTION_DAYS): this intake's own copy is
    // the best answer.
    return stored ?? event;
  }

  /** The stored event with this id, or null. */
  async byId(id: string): Promise<StoredEventDoc | null> {
    const kept = await this.recent.get(id);
    if (kept) return kept;
    const stored = await this.model.findById(id).lean<StoredEventDoc>();
    return stored ? this.remember(stored) : null;
  }

  private async remember(event: StoredEventDoc): Promise<StoredEventDoc> {
    const kept = Object.freeze({ ...event });
    await this.recent.set(event._id, kept);
    return kept;
  }
}
