import { percent } from './cli-support';

/**
 * Counts of lines by the value each dimension gives them, for the counts `generate` prints:
 * `describe('status', { order: STATUSES, share: true })` → `ACTIVE 19 (15.70%) · CLOSED 102 (84.30%)`.
 */
export class Breakdown<L> {
  total = 0;
  private readonly counts = new Map<string, Map<string, number>>();

  constructor(private readonly dimensions: Record<string, (line: L) => string>) {
    for (const dimension of Object.keys(dimensions)) this.counts.set(dimension, new Map());
  }

  add(line: L): void {
    this.total += 1;
    for (const [dimension, valueOf] of Object.entries(this.dimensions)) {
      const counts = this.counts.get(dimension)!;
      const value = valueOf(line);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  }

  count(dimension: string, value: string): number {
    return this.counts.get(dimension)?.get(value) ?? 0;
  }

  /**
   * `value count` for each value counted, joined by ` · `: in `order` when given (values outside it are
   * left out), else in the order first met; with each value's share of the total when `share`.
   */
  describe(dimension: string, options: { order?: readonly string[]; share?: boolean } = {}): string {
    const values = options.order ?? [...(this.counts.get(dimension)?.keys() ?? [])];
    return values
      .filter((value) => this.count(dimension, value) > 0)
      .map((value) => {
        const count = this.count(dimension, value);
        return `${value} ${count}${options.share ? ` (${percent(count, this.total)})` : ''}`;
      })
      .join(' · ');
  }
}
