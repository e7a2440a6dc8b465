/** Whether a single-use id is used for the first time, was used before, or cannot be remembered. */
export type FirstUse = 'first' | 'seen' | 'full';

/**
 * Remembers the single-use ids of principal headers until they expire. The default is `SeenIds`, a
 * set in the process's memory: right for one replica of a subgraph. Several replicas behind a load
 * balancer need a store they share (Redis `SET id 1 NX PXAT expiresAt` is one), or a header could be
 * replayed once against each replica within its few seconds of life.
 */
export interface SeenIdStore {
  firstUse(id: string, expiresAt: number, now: number): FirstUse | Promise<FirstUse>;
}

/** The default capacity: at a 5 s lifetime, 20,000 requests a second to one subgraph process. */
export const SEEN_IDS_CAPACITY = 100_000;

/**
 * A bounded in-memory set of used ids, each kept until its header expires. Ids arrive roughly in
 * expiry order, so expired ones are dropped from the oldest end as new ones come; when the set is full
 * of live ids it refuses (`full`) rather than forget one that could still be replayed.
 */
export class SeenIds implements SeenIdStore {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly capacity: number = SEEN_IDS_CAPACITY) {}

  get size(): number {
    return this.expiries.size;
  }

  firstUse(id: string, expiresAt: number, now: number): FirstUse {
    const known = this.expiries.get(id);
    if (known !== undefined && known > now) return 'seen';
    this.forgetExpired(now, false);
    if (this.expiries.size >= this.capacity) this.forgetExpired(now, true);
    if (this.expiries.size >= this.capacity) return 'full';
    this.expiries.delete(id);
    this.expiries.set(id, expiresAt);
    return 'first';
  }

  /** Drops expired ids from the oldest end; with `everywhere`, from the whole set. */
  private forgetExpired(now: number, everywhere: boolean): void {
    for (const [id, expiresAt] of this.expiries) {
      if (expiresAt <= now) this.expiries.delete(id);
      else if (!everywhere) return;
    }
  }
}
