import { median, summarizeDisputes, suppressBreakdown } from '../src/summary/dispute-summary';
import { DisputeBuilder } from './dispute-builder';

const withCategory = (category: string, dispute = DisputeBuilder.client('2024-06-03').build()) => ({
  ...dispute,
  category,
});

describe('Dispute summary rules', () => {
  describe('the figures', () => {
    const disputes = [
      // Acknowledged and resolved on time: 10 business days (3 → 17 June).
      withCategory(
        'SERVICE_QUALITY',
        DisputeBuilder.client('2024-06-03').acknowledgedOn('2024-06-04').resolvedOn('2024-06-17').build(),
      ),
      // Acknowledged late (due 10 June), resolved late (due 9 July): 27 business days (Canada Day skipped).
      withCategory(
        'SERVICE_QUALITY',
        DisputeBuilder.client('2024-06-03').acknowledgedOn('2024-06-11').resolvedOn('2024-07-11').build(),
      ),
      // Reviewed straight after an escalation (the review answers the acknowledgement), then withdrawn.
      withCategory(
        'REFERRAL',
        DisputeBuilder.client('2024-06-03')
          .escalatedOn('2024-06-04')
          .underReviewOn('2024-06-05')
          .withdrawnOn('2024-06-06')
          .build(),
      ),
      // Withdrawn before anything else: no acknowledgement.
      withCategory('REFERRAL', DisputeBuilder.client('2024-06-03').withdrawnOn('2024-06-04').build()),
      withCategory('PRIVACY'),
    ];

    it('counts each status ever reached, the clocks met and the median days to resolve', () => {
      const summary = summarizeDisputes(disputes, ['SERVICE_QUALITY', 'REFERRAL', 'OTHER'], false);
      const value = (c: { value: number | null }) => c.value;
      expect({
        opened: value(summary.opened),
        acknowledged: value(summary.acknowledged),
        resolved: value(summary.resolved),
        escalated: value(summary.escalated),
        withdrawn: value(summary.withdrawn),
        acknowledgedWithinSla: value(summary.acknowledgedWithinSla),
        resolvedWithinSla: value(summary.resolvedWithinSla),
        median: value(summary.medianBusinessDaysToResolve),
      }).toEqual({
        opened: 5,
        acknowledged: 2,
        resolved: 2,
        escalated: 1,
        withdrawn: 2,
        acknowledgedWithinSla: 2,
        resolvedWithinSla: 1,
        median: 18.5,
      });
      expect(summary.byCategory.map((c) => [c.category, c.count.value])).toEqual([
        ['OTHER', 0],
        ['PRIVACY', 1],
        ['REFERRAL', 2],
        ['SERVICE_QUALITY', 2],
      ]);
    });

    it('withholds every count under 10 when the caller cannot see every dispute, with the reason', () => {
      const summary = summarizeDisputes(disputes, [], true);
      expect(summary.opened).toEqual({
        value: null,
        suppressed: true,
        reason: expect.stringContaining('under 10'),
      });
      expect(summary.medianBusinessDaysToResolve).toMatchObject({ value: null, suppressed: true });
      expect(summary.byCategory.every((c) => c.count.suppressed)).toBe(true);
    });

    it('has no median, and says why, when nothing was resolved', () => {
      expect(summarizeDisputes([], [], false).medianBusinessDaysToResolve).toEqual({
        value: null,
        suppressed: false,
        reason: 'No dispute opened in the range has been resolved',
      });
    });
  });

  describe('suppressing a breakdown', () => {
    it('shows everything to a caller who sees every record', () => {
      expect(suppressBreakdown([3, 40], false).map((c) => c.value)).toEqual([3, 40]);
    });

    it('withholds a second cell when only one is small, so the total cannot give it away', () => {
      const cells = suppressBreakdown([3, 40, 25, 12], true);
      expect(cells.map((c) => c.value)).toEqual([null, 40, 25, null]);
      expect(cells[3]!.reason).toContain('worked out from the total');
    });

    it('withholds only the small cells when two or more are small', () => {
      expect(suppressBreakdown([3, 0, 25], true).map((c) => c.value)).toEqual([null, null, 25]);
    });
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    expect([median([]), median([4]), median([9, 1, 5]), median([1, 2, 3, 10])]).toEqual([null, 4, 5, 2.5]);
  });
});
