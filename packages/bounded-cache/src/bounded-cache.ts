export interface BoundedCacheOptions<V> {
  /** The budget: the sum of the entries' `sizeOf` stays at or under it. */
  maxBytes: number;
  /** An estimate of what an entry holds in memory, in bytes. */
  sizeOf: (value: V) => number;
  /** At most this many entries as well (no bound but the bytes when absent). */
  maxEntries?: number;
}

/**
 * A least-recently-used cache within a budget of bytes (each entry weighed by `sizeOf`) and,
 * optionally, of entries. An entry over a quarter of the byte budget is not kept: it would push out
 * most of the others for one use. It has the shape Apollo Server and Apollo Gateway take for their
 * document and query-plan stores (`get`, `set`, `delete`, all async, and `clear`); its work is
 * synchronous.
 */
export class BoundedCache<V> {
  /** Least recently used first (a Map keeps insertion order; a read moves an entry to the end). */
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private used = 0;
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  private readonly sizeOf: (value: V) => number;

  constructor(options: BoundedCacheOptions<V>) {
    if (!(options.maxBytes > 0)) throw new RangeError('maxBytes must be positive');
    if (options.maxEntries !== undefined && !(options.maxEntries >= 1))
      throw new RangeError('maxEntries must be at least 1');
    this.maxBytes = options.maxBytes;
    this.maxEntries = options.maxEntries ?? Infinity;
    this.sizeOf = options.sizeOf;
  }

  /** Entries held now, and the bytes they are estimated to take. */
  get stats(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.used };
  }

  async get(key: string): Promise<V | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: V): Promise<void> {
    this.remove(key);
    const bytes = this.sizeOf(value);
    if (bytes > this.maxBytes / 4) return;
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    for (const oldest of this.entries.keys()) {
      if (this.used <= this.maxBytes && this.entries.size <= this.maxEntries) break;
      this.remove(oldest);
    }
  }

  async delete(key: string): Promise<boolean> {
    return this.remove(key);
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.used -= entry.bytes;
    return true;
  }
}
