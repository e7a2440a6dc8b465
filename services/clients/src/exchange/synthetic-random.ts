import type { IsoDate } from '@ies/calendar';
import { seededRandom } from '@ies/contracts/src/seed/prng';

/** The seeded PRNG of the contracts seed (mulberry32 over FNV-1a): the same seed, the same sequence. */
export type Random = ReturnType<typeof seededRandom>;
export { seededRandom };

/** One of `choices`, with probability proportional to its weight. */
export function weighted<T>(random: Random, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let r = random.next() * total;
  for (const [value, w] of choices) {
    if (r < w) return value;
    r -= w;
  }
  return choices[choices.length - 1]![0];
}

export const earlier = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);
export const later = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);
