import type { DocumentNode, Token } from 'graphql';

/**
 * A least-recently-used cache with a budget in bytes, each entry weighed by `sizeOf` (an estimate of
 * what it holds in memory). It has the shape Apollo Server and Apollo Gateway accept for their
 * document and query-plan stores (`get`, `set`, `delete`, all async, and `clear`).
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private used = 0;

  constructor(
    private readonly budgetBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

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
    await this.delete(key);
    const bytes = this.sizeOf(value);
    // An entry larger than a quarter of the budget would flush most of the cache for one request.
    if (bytes > this.budgetBytes / 4) return;
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.budgetBytes) break;
      this.entries.delete(oldest);
      this.used -= entry.bytes;
    }
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  async delete(key: string): Promise<boolean> {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.used -= entry.bytes;
    return true;
  }
}

/*
 * Heap per unit, measured on Node 20 with graphql 16 (heap retained by 200 documents of each shape,
 * after a full GC; gateway/test/bounded-cache.test.ts repeats the measurement): every token of a parsed
 * document (comments included) stays reachable through `loc` at about 90 bytes; AST nodes take about
 * 3× their JSON; the source text stays too. The factors below are rounded up so the estimate is 1.2–1.5×
 * what is measured. Apollo's default stores weigh an entry by its JSON alone, which misses the tokens:
 * a 10 KB document of comment lines weighs 41 bytes there and holds 450 KB.
 */
const BYTES_PER_TOKEN = 110;
const AST_BYTES_PER_JSON_BYTE = 4;
const SOURCE_BYTES_PER_CHAR = 2;
/** A query plan holds about 2.6× its JSON (measured the same way on the supergraph). */
const PLAN_BYTES_PER_JSON_BYTE = 3;

/** What a parsed document holds in memory: its tokens, its AST nodes and its source text. */
export function documentBytes(document: DocumentNode): number {
  let tokens = 0;
  for (let token: Token | null | undefined = document.loc?.startToken; token; token = token.next) tokens++;
  return (
    tokens * BYTES_PER_TOKEN +
    Buffer.byteLength(JSON.stringify(document)) * AST_BYTES_PER_JSON_BYTE +
    (document.loc?.source.body.length ?? 0) * SOURCE_BYTES_PER_CHAR
  );
}

/** What a query plan holds in memory. */
export const queryPlanBytes = (plan: unknown): number =>
  Buffer.byteLength(JSON.stringify(plan) ?? '') * PLAN_BYTES_PER_JSON_BYTE;

const MIB = 1024 * 1024;

/** The gateway's parsed-and-validated document store, within `mib` of heap. */
export const documentCache = (mib: number) => new BoundedCache<DocumentNode>(mib * MIB, documentBytes);

/** The gateway's query-plan store, within `mib` of heap. */
export const queryPlanCache = <P>(mib: number) => new BoundedCache<P>(mib * MIB, queryPlanBytes);
