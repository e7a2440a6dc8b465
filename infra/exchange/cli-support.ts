import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit codes of the exchange CLI. */
export const EXIT = { ok: 0, failed: 1, rejectedLines: 2 } as const;

/** A mistake in how the command was called: the message and `--help` say what to do. */
export class UsageError extends Error {}

/** Options and positionals of a command; unknown options and missing values are usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export const integer = (value: string | undefined, name: string, fallback?: number): number => {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isSafeInteger(n) || n < 0)
    throw new UsageError(`--${name} must be a non-negative integer`);
  return n;
};

export const formatCount = (n: number) => n.toLocaleString('en-CA');
export const percent = (part: number, whole: number) =>
  whole === 0 ? '0.00%' : `${((100 * part) / whole).toFixed(2)}%`;
/** Lines per second over `ms` milliseconds, for progress lines. */
export const rate = (n: number, ms: number) => `${formatCount(Math.round((n * 1000) / Math.max(ms, 1)))}/s`;

/** Calls `report` at most every `intervalMs` (the first call waits a full interval). */
export function throttle(intervalMs: number, report: () => void): () => void {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < intervalMs) return;
    last = now;
    report();
  };
}

export const PROGRESS_INTERVAL_MS = 2_000;

export const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Where a command writes its NDJSON: stdout for `-`, else a file written under a temporary name and
 * renamed when complete, so an interrupted run never leaves a truncated file under the real name.
 * `summary` is where the final counts go: stdout, unless the data itself goes there.
 */
export interface Output {
  stream: Writable;
  summary: (line: string) => void;
  commit(): Promise<void>;
  abandon(): void;
}

export async function openOutput(path: string): Promise<Output> {
  if (path === '-')
    return { stream: process.stdout, summary: log, commit: async () => undefined, abandon: () => undefined };
  const partial = `${path}.partial-${process.pid}`;
  const stream = createWriteStream(partial, { flags: 'wx' });
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new UsageError(
      `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return {
    stream,
    summary: (line) => process.stdout.write(`${line}\n`),
    async commit() {
      stream.end();
      await once(stream, 'finish');
      renameSync(partial, path);
    },
    abandon() {
      stream.destroy();
      rmSync(partial, { force: true });
    },
  };
}
