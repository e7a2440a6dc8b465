import { BoundedCache } from '../src';

const text = (length: number) => 'x'.repeat(length);

describe('BoundedCache', () => {
  it('keeps what is read, drops the least recently used, and never stores an entry over a quarter of the budget', async () => {
    const cache = new BoundedCache<string>({ maxBytes: 100, sizeOf: (value) => value.length });
    for (const key of ['a', 'b', 'c', 'd']) await cache.set(key, text(20));
    await cache.get('a');
    await cache.set('e', text(25));
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    await cache.set('huge', text(26));
    expect(await cache.get('huge')).toBeUndefined();
    expect(cache.stats).toEqual({ entries: 4, bytes: 85 });
  });

  it('holds at most maxEntries, however small they are', async () => {
    const cache = new BoundedCache<string>({
      maxBytes: 1_000,
      sizeOf: (value) => value.length,
      maxEntries: 3,
    });
    for (const key of ['a', 'b', 'c', 'd', 'e']) await cache.set(key, text(1));
    expect(cache.stats).toEqual({ entries: 3, bytes: 3 });
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('c')).toBe('x');
    // Read last, c outlives d when the next entry comes.
    await cache.set('f', text(1));
    expect(await cache.get('d')).toBeUndefined();
    expect(await cache.get('c')).toBe('x');
  });

  it('counts a replaced entry once, and forgets a deleted one', async () => {
    const cache = new BoundedCache<string>({ maxBytes: 100, sizeOf: (value) => value.length });
    await cache.set('a', text(10));
    await cache.set('a', text(20));
    expect(cache.stats).toEqual({ entries: 1, bytes: 20 });
    // Replaced by a value too large to keep: the old value goes too (it is no longer the key's value).
    await cache.set('a', text(30));
    expect(cache.stats).toEqual({ entries: 0, bytes: 0 });
    await cache.set('b', text(10));
    expect(await cache.delete('b')).toBe(true);
    expect(await cache.delete('b')).toBe(false);
    await cache.set('c', text(10));
    cache.clear();
    expect(cache.stats).toEqual({ entries: 0, bytes: 0 });
    expect(await cache.get('c')).toBeUndefined();
  });

  it('refuses a budget that cannot hold anything', () => {
    expect(() => new BoundedCache<string>({ maxBytes: 0, sizeOf: () => 1 })).toThrow(RangeError);
    expect(() => new BoundedCache<string>({ maxBytes: 10, sizeOf: () => 1, maxEntries: 0 })).toThrow(
      RangeError,
    );
  });
});
