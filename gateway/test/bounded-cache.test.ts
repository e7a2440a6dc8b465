import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'graphql';
import { documentCache } from '../src/bounded-cache';
import { DOCUMENT_SHAPES } from './fixtures/document-shapes';

const commentPadded = DOCUMENT_SHAPES['comment-padded']!;

/** Estimates and measured heap per document, from a process of its own (see the fixture). */
async function measureDocumentHeap(): Promise<Record<string, { estimated: number; measured: number }>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(__dirname, 'fixtures', 'document-heap.ts')],
    { cwd: join(__dirname, '..') },
  );
  return JSON.parse(stdout);
}

describe("The gateway's document cache", () => {
  it('weighs each shape of document at no less than the heap it holds, and less than twice that', async () => {
    const heap = await measureDocumentHeap();
    expect(Object.keys(heap)).toEqual(Object.keys(DOCUMENT_SHAPES));
    for (const { estimated, measured } of Object.values(heap)) {
      expect(estimated).toBeGreaterThanOrEqual(measured);
      expect(estimated).toBeLessThan(measured * 2);
    }
  });

  it('holds unique comment-padded documents within its budget, keeping the most recent', async () => {
    const cache = documentCache(4);
    for (let i = 0; i < 100; i++) await cache.set(`q${i}`, parse(commentPadded(i)));
    const { entries, bytes } = cache.stats;
    // Each holds about 0.45 MB (weighed 0.57): Apollo's default store weighs it at 41 bytes and keeps all 100.
    expect(bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(entries).toBeGreaterThanOrEqual(5);
    expect(entries).toBeLessThanOrEqual(8);
    expect(await cache.get('q99')).toBeDefined();
    expect(await cache.get('q0')).toBeUndefined();
  });
});
