import { coalescedInserts } from '@ies/db';
import type { StoredEventDoc, StoredEventModel } from './stored-event.model';

/** Stored events a worker keeps in memory (its latest intakes), for the deliveries that follow. */
export const RECENT_EVENTS = 2_000;

/**
 * The webhooks worker's stored events. An event is stored once, by its id (a second intake stores
 * nothing and takes the first body); the intakes of a burst are stored in one insert. A stored event
 * never changes, so the worker keeps its latest ones in memory and a delivery of one of them (its first
 * attempt, usually a few milliseconds after the intake) does not read it again; any other is read.
 */
export class StoredEvents {
  private readonly insert: (doc: object) => Promise<'inserted' | 'duplicate'>;
  /** Oldest first (a Map keeps insertion order): at most `recent` events. */
  private readonly cache = new Map<string, StoredEventDoc>();

  constructor(
    private readonly model: StoredEventModel,
    private readonly recent = RECENT_EVENTS,
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
    this.cache.delete(event._id);
    this.cache.set(event._id, event);
    if (this.cache.size > this.recent) this.cache.delete(this.cache.keys().next().value!);
    return event;
  }
}
