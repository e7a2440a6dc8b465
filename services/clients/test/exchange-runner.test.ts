import { Readable, Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generateActionPlans } from '../src/exchange/action-plan-generator';
import { formatActionPlanLine, parseActionPlanLine } from '../src/exchange/action-plan-line';
import type {
  ImportCounts,
  ImportTarget,
  LineOutcome,
  NumberedLine,
  ParseResult,
} from '../src/exchange/exchange-types';
import { runExport } from '../src/exchange/export-runner';
import { runImport } from '../src/exchange/import-runner';

/** A small record for the generic runner: a CaMS-like reference and a value. */
interface Entry {
  camsReference: string;
  value: string;
}

function parseEntry(text: string): ParseResult<Entry> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  const entry = value as Partial<Entry> | null;
  if (typeof entry?.camsReference !== 'string' || typeof entry.value !== 'string')
    return { ok: false, reason: 'camsReference and value are required' };
  return { ok: true, line: { camsReference: entry.camsReference, value: entry.value } };
}

/**
 * A real, idempotent target keyed on the CaMS reference: the first line of a reference is accepted, the
 * same line again is unchanged, a different line for a known reference is rejected and changes nothing.
 */
class IdempotentMapTarget<L extends { camsReference: string }> implements ImportTarget<L> {
  readonly records = new Map<string, string>();
  readonly batches: number[][] = [];

  constructor(
    private readonly serialize: (line: L) => string = (line) => JSON.stringify(line),
    private readonly onBatch: () => void | Promise<void> = () => undefined,
  ) {}

  async applyBatch(lines: NumberedLine<L>[]): Promise<LineOutcome[]> {
    this.batches.push(lines.map((l) => l.lineNumber));
    await this.onBatch();
    return lines.map(({ line }) => {
      const text = this.serialize(line);
      const known = this.records.get(line.camsReference);
      if (known === undefined) {
        this.records.set(line.camsReference, text);
        return { status: 'accepted' };
      }
      return known === text
        ? { status: 'unchanged' }
        : {
            status: 'rejected',
            reason: `camsReference ${line.camsReference}: already imported with other content`,
          };
    });
  }
}

/** A full garbage collection, so heap figures count what is still held, not what awaits collection. */
function garbageCollector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const entry = (ref: string, value = 'v') => JSON.stringify({ camsReference: ref, value });
const file = (...lines: string[]) => Readable.from([lines.join('\n')]);

describe('Exchange import runner', () => {
  describe('when a file mixes good, bad, blank and repeated lines', () => {
    const lines = [
      entry('AP-1'),
      '',
      'not json',
      entry('AP-2'),
      entry('AP-1'),
      entry('AP-2', 'changed'),
      '{"value":"x"}',
      '   ',
      entry('AP-3'),
    ];

    it('counts each line once, in line order, and names each rejected line', async () => {
      const target = new IdempotentMapTarget<Entry>();
      const rejected: [number, string][] = [];
      const result = await runImport({
        input: file(...lines),
        parse: parseEntry,
        target,
        batchSize: 2,
        onRejected: (n, reason) => rejected.push([n, reason]),
      });
      expect(result).toMatchObject({ lines: 7, accepted: 3, unchanged: 1, rejected: 3 });
      expect(result.accepted + result.unchanged + result.rejected).toBe(result.lines);
      const expectedErrors = [
        { lineNumber: 3, reason: 'not valid JSON' },
        { lineNumber: 6, reason: 'camsReference AP-2: already imported with other content' },
        { lineNumber: 7, reason: 'camsReference and value are required' },
      ];
      expect(result.errors).toEqual(expectedErrors);
      expect(rejected).toEqual(expectedErrors.map((e) => [e.lineNumber, e.reason]));
      expect([...target.records.keys()]).toEqual(['AP-1', 'AP-2', 'AP-3']);
      expect(JSON.parse(target.records.get('AP-2')!).value).toBe('v');
    });

    it('never sends a line that does not parse to the target, and batches the others', async () => {
      const target = new IdempotentMapTarget<Entry>();
      await runImport({ input: file(...lines), parse: parseEntry, target, batchSize: 2 });
      // Batches close every 2 non-blank lines: [1, 3], [4, 5], [6, 7], [9]; lines 3 and 7 never reach it.
      expect(target.batches).toEqual([[1], [4, 5], [6], [9]]);
    });

    it('changes nothing the second time the same file is imported', async () => {
      const target = new IdempotentMapTarget<Entry>();
      const good = [entry('AP-1'), entry('AP-2'), entry('AP-3')];
      await runImport({ input: file(...good), parse: parseEntry, target });
      const again = await runImport({ input: file(...good), parse: parseEntry, target });
      expect(again).toMatchObject({ lines: 3, accepted: 0, unchanged: 3, rejected: 0, errors: [] });
    });
  });

  describe('when many lines are rejected', () => {
    it('keeps the first maxErrorsKept in the result and reports all of them', async () => {
      const bad = Array.from({ length: 25 }, () => 'x');
      let reported = 0;
      const result = await runImport({
        input: file(...bad),
        parse: parseEntry,
        target: new IdempotentMapTarget<Entry>(),
        maxErrorsKept: 10,
        onRejected: () => (reported += 1),
      });
      expect(result.rejected).toBe(25);
      expect(result.errors.map((e) => e.lineNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(reported).toBe(25);
    });
  });

  describe('when a line is over the length limit', () => {
    it('rejects that line only', async () => {
      const result = await runImport({
        input: file(entry('AP-1'), entry('AP-2', 'x'.repeat(5000)), entry('AP-3')),
        parse: parseEntry,
        target: new IdempotentMapTarget<Entry>(),
        maxLineBytes: 1000,
      });
      expect(result).toMatchObject({
        accepted: 2,
        rejected: 1,
        errors: [{ lineNumber: 2, reason: 'line is longer than 1000 bytes' }],
      });
    });
  });

  describe('when progress is followed', () => {
    it('reports running totals after every batch', async () => {
      const progress: ImportCounts[] = [];
      await runImport({
        input: file(...Array.from({ length: 10 }, (_, i) => entry(`AP-${i}`))),
        parse: parseEntry,
        target: new IdempotentMapTarget<Entry>(),
        batchSize: 4,
        onProgress: (counts) => progress.push(counts),
      });
      expect(progress.map((p) => p.lines)).toEqual([4, 8, 10]);
      expect(progress.at(-1)).toMatchObject({ accepted: 10, unchanged: 0, rejected: 0 });
    });
  });

  describe('when the target breaks its contract or fails', () => {
    it('stops when the target answers for the wrong number of lines', async () => {
      const target: ImportTarget<Entry> = { applyBatch: async () => [{ status: 'accepted' }] };
      await expect(
        runImport({ input: file(entry('AP-1'), entry('AP-2')), parse: parseEntry, target }),
      ).rejects.toThrow('Import target returned 1 outcomes for 2 lines');
    });

    it('stops at the failing batch without reading further', async () => {
      let produced = 0;
      async function* lines() {
        for (; produced < 10_000; produced += 1) yield `${entry(`AP-${produced}`)}\n`;
      }
      const target: ImportTarget<Entry> = {
        applyBatch: async () => {
          throw new Error('connection lost');
        },
      };
      await expect(runImport({ input: lines(), parse: parseEntry, target, batchSize: 10 })).rejects.toThrow(
        'connection lost',
      );
      expect(produced).toBeLessThan(20);
    });
  });

  describe('when a long stream meets a slow target', () => {
    it('reads at most one batch ahead of the target, so memory stays flat', async () => {
      const batchSize = 500;
      const total = 50_000;
      const padding = 'x'.repeat(2000);
      let produced = 0;
      let applied = 0;
      let furthestAhead = 0;
      let batches = 0;
      let peakHeldBytes = 0;
      const gc = garbageCollector();
      const source = Readable.from(
        (function* () {
          for (; produced < total; produced += 1) yield `${entry(`AP-${produced}`, padding)}\n`;
        })(),
      );
      gc();
      const baseline = process.memoryUsage().heapUsed;
      const target = new IdempotentMapTarget<Entry>(
        (line) => line.value.length.toString(), // keep the map small: the test measures the runner
        async () => {
          furthestAhead = Math.max(furthestAhead, produced - applied);
          if (++batches % 10 === 0) {
            gc();
            peakHeldBytes = Math.max(peakHeldBytes, process.memoryUsage().heapUsed - baseline);
          }
          await new Promise((resolve) => setImmediate(resolve));
        },
      );
      const wrapped: ImportTarget<Entry> = {
        applyBatch: async (lines) => {
          const outcomes = await target.applyBatch(lines);
          applied += lines.length;
          return outcomes;
        },
      };
      const result = await runImport({ input: source, parse: parseEntry, target: wrapped, batchSize });
      expect(result).toMatchObject({ lines: total, accepted: total, rejected: 0 });
      // One batch, plus what the stream buffers (16 objects) and the line being read.
      expect(furthestAhead).toBeLessThanOrEqual(batchSize + 16 + 2);
      // The stream is about 100 MB; what is held while it flows is about one batch (1 MB).
      expect(peakHeldBytes).toBeLessThan(16 * 1024 * 1024);
    });
  });
});

describe('Exchange export runner', () => {
  /** A writable that accepts one chunk per tick and keeps what it got. */
  const slowSink = () => {
    const chunks: string[] = [];
    const sink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        setImmediate(done);
      },
    });
    return { sink, text: () => chunks.join('') };
  };

  it('writes one canonical line per plan, waiting for a slow output', async () => {
    const plans = [...generateActionPlans({ seed: 4, set: 'prototype', scale: 0.002 })];
    let pulled = 0;
    let furthestAhead = 0;
    const { sink, text } = slowSink();
    const originalWrite = sink.write.bind(sink);
    let written = 0;
    let mostBuffered = 0;
    sink.write = ((chunk: string) => {
      written += 1;
      const ok = originalWrite(chunk);
      mostBuffered = Math.max(mostBuffered, sink.writableLength);
      return ok;
    }) as typeof sink.write;
    async function* lines() {
      for (const plan of plans) {
        pulled += 1;
        furthestAhead = Math.max(furthestAhead, pulled - written);
        yield plan;
      }
    }
    const result = await runExport({ lines: lines(), output: sink });
    expect(result).toEqual({ written: plans.length });
    expect(text()).toBe(plans.map((p) => `${formatActionPlanLine(p)}\n`).join(''));
    expect(furthestAhead).toBeLessThanOrEqual(1);
    // Never more than the buffer's mark plus the line that crossed it.
    expect(mostBuffered).toBeLessThanOrEqual(sink.writableHighWaterMark + 4096);
  });

  it('ends with the error of a failing output', async () => {
    const failing = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error('disk full'));
      },
    });
    await expect(
      runExport({ lines: generateActionPlans({ seed: 4, set: 'prototype', scale: 0.01 }), output: failing }),
    ).rejects.toThrow('disk full');
  });

  describe('when exported plans are imported into an empty target', () => {
    it('accepts every line and holds exactly what was exported', async () => {
      const plans = [...generateActionPlans({ seed: 8, scale: 0.003 })];
      const { sink, text } = slowSink();
      await runExport({ lines: plans, output: sink });
      const target = new IdempotentMapTarget(formatActionPlanLine);
      const result = await runImport({ input: Readable.from([text()]), parse: parseActionPlanLine, target });
      expect(result).toMatchObject({ lines: plans.length, accepted: plans.length, rejected: 0 });
      expect([...target.records.values()].map((line) => `${line}\n`).join('')).toBe(text());
    });
  });
});
