import { coalescedInserts } from '@ies/db';
import type { StoredEventDoc, StoredEventModel } from './stored-event.model';

/** Stored events a worker keeps in memory (its latest intakes), for the deliveries that follow. */
export const RECENT_EVENTS = 2_000;
/** And at most this many bytes of their bodies (a UTF-16 character is two). */
export const RECENT_EVENT_BYTES = 8 * 1024 * 1024;

/**
 * The webhooks worker's stored events. An event is stored once, by its id (a second intake stores
 * nothing and takes the first body); the intakes of a burst are stored in one insert. A stored event
 * never changes, so the worker keeps its latest ones in memory (frozen copies, within a count and a
 * byte budget) and a delivery of one of them (its first attempt, usually a few milliseconds after the
 * intake) does not read it again; any other is read.
 */
export class StoredEvents {
  private readonly insert: (doc: object) => Promise<'inserted' | 'duplicate'>;
  /** Oldest first (a Map keeps insertion order): at most `recent` events and `recentBytes` of bodies. */
  private readonly cache = new Map<string, StoredEventDoc>();
  private cachedBytes = 0;

  constructor(
    private readonly model: StoredEventModel,
    private readonly recent = RECENT_EVENTS,
    private readonly recentBytes = RECENT_EVENT_BYTES,
  ) {
    this.insert = coalescedInserts(model);
  }

  /** Stores the event unless its id is stored already; answers the event as stored (the first body). */
  async store(event: StoredEventDoc): Promise<StoredEventDoc> {
    if ((await this.insert(event)) === 'inserted') return this.remember(event);
    const stored = await this.byId(event._id);
    // Gone between the duplicate and the read cannot happen (stored events are never deleted); if it
    // ever did, this intake's own copy is the best answer.
    return stored ?? event;
  }

  /** The stored event with this id, or null. */
  async byId(id: string): Promise<StoredEventDoc | null> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const stored = await this.model.findById(id).lean<StoredEventDoc>();
    return stored ? this.remember(stored) : null;
  }

  private remember(event: StoredEventDoc): StoredEventDoc {
    const bytes = event.body.length * 2;
    // One event larger than a quarter of the budget would push most others out: it is read when needed.
    if (bytes > this.recentBytes / 4) return event;
    const kept = Object.freeze({ ...event });
    this.forget(event._id);
    this.cache.set(event._id, kept);
    this.cachedBytes += bytes;
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= this.recent && this.cachedBytes <= this.recentBytes) break;
      this.forget(oldest);
    }
    return kept;
  }

  private forget(id: string) {
    const cached = this.cache.get(id);
    if (!cached) return;
    this.cache.delete(id);
    this.cachedBytes -= cached.body.length * 2;
  }
}
