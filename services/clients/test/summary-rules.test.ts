import {
  SUPPRESSION_THRESHOLD,
  summarizePlans,
  suppressBreakdown,
  type SummarizedPlan,
} from '../src/summary/action-plan-summary';

const plan = (
  referralSource: SummarizedPlan['referralSource'],
  stream: 'A' | 'B' | 'C' | null = 'C',
): SummarizedPlan => ({
  referralSource,
  assessment: stream ? { stream } : null,
  equityAtStart: {
    indigenous: null,
    francophone: null,
    disability: null,
    newcomer: null,
    racialized: null,
    youth: false,
  },
});
const many = (n: number, source: SummarizedPlan['referralSource'], stream: 'A' | 'B' | 'C' | null = 'C') =>
  Array.from({ length: n }, () => plan(source, stream));

describe('action plan summary suppression', () => {
  it('shows every count to a caller who sees every plan', () => {
    const summary = summarizePlans([...many(3, 'ONTARIO_WORKS'), ...many(40, 'ODSP')], false);
    expect(summary.started).toEqual({ value: 43, suppressed: false, reason: null });
    expect(summary.referredBySocialAssistance.value).toBe(43);
  });

  it('withholds counts under the threshold, and the next smallest cell when only one would be withheld', () => {
    expect(SUPPRESSION_THRESHOLD).toBe(10);
    expect(suppressBreakdown([9, 10, 200, 15], true).map((c) => c.value)).toEqual([null, null, 200, 15]);
    expect(suppressBreakdown([0, 3, 200, 15], true).map((c) => c.value)).toEqual([null, null, 200, 15]);
    expect(suppressBreakdown([10, 11, 12], true).map((c) => c.value)).toEqual([10, 11, 12]);
  });

  it('withholds the social-assistance total when one of its parts is withheld, so no part follows from it', () => {
    const summary = summarizePlans(
      [...many(3, 'ONTARIO_WORKS'), ...many(40, 'ODSP'), ...many(200, 'SELF'), ...many(15, 'OTHER')],
      true,
    );
    const bySource = Object.fromEntries(summary.byReferralSource.map((c) => [c.source, c.count.value]));
    expect(bySource.ONTARIO_WORKS).toBeNull();
    expect(summary.referredBySocialAssistance).toMatchObject({ value: null, suppressed: true });
    // What is shown does not determine a withheld cell: one withheld source cell is never alone.
    expect(Object.values(bySource).filter((v) => v === null).length).toBeGreaterThanOrEqual(2);
  });

  it('counts plans without an assessment as UNASSESSED', () => {
    const summary = summarizePlans([...many(12, 'SELF', null), ...many(11, 'SELF', 'A')], false);
    expect(Object.fromEntries(summary.byStream.map((c) => [c.stream, c.count.value]))).toEqual({
      A: 11,
      B: 0,
      C: 0,
      UNASSESSED: 12,
    });
  });
});
