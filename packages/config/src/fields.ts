import { z } from 'zod';

/** A TCP port; 0 asks the OS for a free one. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const url = (fallback?: string) => {
  const schema = z.string().url();
  return fallback === undefined ? schema : schema.default(fallback);
};

export const logLevel = () =>
  z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** A shared secret: long enough to resist guessing. */
export const secret = () => z.string().min(32, 'must be at least 32 characters');

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');
