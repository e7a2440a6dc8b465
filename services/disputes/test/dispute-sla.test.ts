import {
  breaches,
  DEFAULT_SLA_POLICY,
  slaClocks,
  slaDueDates,
  slaPolicyOn,
  validateSlaPolicyVersion,
  type SlaPolicyVersion,
} from '../src/dispute/dispute-sla';
import { DisputeBuilder } from './dispute-builder';

const version = (effectiveFrom: string, acknowledge: number, resolve: number): SlaPolicyVersion => ({
  effectiveFrom,
  acknowledgeWithinBusinessDays: acknowledge,
  resolveWithinBusinessDays: resolve,
});

describe('Dispute SLA', () => {
  describe('due dates', () => {
    it('gives 5 and 25 business days by default', () => {
      expect(DEFAULT_SLA_POLICY).toEqual({ acknowledgeWithinBusinessDays: 5, resolveWithinBusinessDays: 25 });
      expect(slaDueDates('2024-06-03', DEFAULT_SLA_POLICY)).toEqual({
        acknowledgeBy: '2024-06-10',
        resolveBy: '2024-07-09', // Canada Day skipped
      });
    });

    it.each([
      ['over Christmas, Boxing Day and New Year', '2024-12-20', '2024-12-31', '2025-01-29'],
      ['over substituted Christmas, Boxing Day and New Year', '2021-12-24', '2022-01-05', '2022-02-02'],
      ['over Good Friday (Easter Monday is worked)', '2024-03-28', '2024-04-05', '2024-05-03'],
      ['over a Canada Day observed on Monday', '2023-06-28', '2023-07-06', '2023-08-03'],
      ['from a dispute opened on a Saturday', '2024-06-08', '2024-06-14', '2024-07-15'],
    ])('counts business days %s', (_case, openedOn, acknowledgeBy, resolveBy) => {
      expect(slaDueDates(openedOn, DEFAULT_SLA_POLICY)).toEqual({ acknowledgeBy, resolveBy });
    });

    it('fixes the due dates on the dispute when it opens', () => {
      const dispute = DisputeBuilder.client('2024-12-20').build();
      expect(dispute.sla).toEqual({
        policy: DEFAULT_SLA_POLICY,
        acknowledgeBy: '2024-12-31',
        resolveBy: '2025-01-29',
      });
    });
  });

  describe('the policy in force', () => {
    const policies = [
      version('2024-04-01', 3, 20),
      version('2025-01-01', 10, 40),
      version('2024-09-01', 4, 15),
    ];

    it('is the default before the SSM sets one', () => {
      expect(slaPolicyOn([], '2024-06-03')).toEqual(DEFAULT_SLA_POLICY);
      expect(slaPolicyOn(policies, '2024-03-31')).toEqual(DEFAULT_SLA_POLICY);
    });

    it('is the latest version started by the date, in whatever order versions are listed', () => {
      expect(slaPolicyOn(policies, '2024-04-01')).toEqual({
        acknowledgeWithinBusinessDays: 3,
        resolveWithinBusinessDays: 20,
      });
      expect(slaPolicyOn(policies, '2024-08-31')).toMatchObject({ acknowledgeWithinBusinessDays: 3 });
      expect(slaPolicyOn(policies, '2024-09-01')).toMatchObject({ acknowledgeWithinBusinessDays: 4 });
      expect(slaPolicyOn(policies, '2026-01-01')).toMatchObject({ acknowledgeWithinBusinessDays: 10 });
    });

    it('is the one listed last when two versions start the same day', () => {
      const sameDay = [version('2024-04-01', 3, 20), version('2024-04-01', 7, 30)];
      expect(slaPolicyOn(sameDay, '2024-05-01')).toMatchObject({ acknowledgeWithinBusinessDays: 7 });
    });

    it('carries only the numbers, not the version it came from', () => {
      expect(Object.keys(slaPolicyOn(policies, '2024-05-01')).sort()).toEqual([
        'acknowledgeWithinBusinessDays',
        'resolveWithinBusinessDays',
      ]);
    });
  });

  describe('when the SSM changes its policy', () => {
    const before = [version('2024-01-01', 5, 25)];
    const after = [...before, version('2024-06-10', 2, 10)];

    it('keeps the clocks of disputes opened before the change', () => {
      const opened = DisputeBuilder.client('2024-06-07').underPolicies(before).build();
      const reread = DisputeBuilder.client('2024-06-07').underPolicies(after).build();
      expect(reread.sla).toEqual(opened.sla);
      expect(opened.sla).toMatchObject({ acknowledgeBy: '2024-06-14', resolveBy: '2024-07-15' });
      expect(breaches(opened, '2024-06-14')).toEqual([]);
    });

    it('runs the new clocks for disputes opened from the day it takes effect', () => {
      const dispute = DisputeBuilder.client('2024-06-10').underPolicies(after).build();
      expect(dispute.sla).toEqual({
        policy: { acknowledgeWithinBusinessDays: 2, resolveWithinBusinessDays: 10 },
        acknowledgeBy: '2024-06-12',
        resolveBy: '2024-06-24',
      });
      expect(breaches(dispute, '2024-06-13')).toEqual(['ACKNOWLEDGE']);
    });

    it('judges a dispute by the due dates it opened with, even if the policies are later rewritten', () => {
      const dispute = DisputeBuilder.client('2024-06-07').underPolicies(before).build();
      const rewritten = [version('2024-01-01', 1, 2)];
      expect(slaPolicyOn(rewritten, dispute.openedOn)).toMatchObject({ acknowledgeWithinBusinessDays: 1 });
      expect(breaches(dispute, '2024-06-12')).toEqual([]); // its own clock still runs to 14 June
    });
  });

  describe('breaches', () => {
    describe('when nobody acknowledges the dispute', () => {
      const dispute = DisputeBuilder.client('2024-06-03').build(); // acknowledge by 10 June, resolve by 9 July

      it('is not breached on the due date itself', () => {
        expect(breaches(dispute, '2024-06-10')).toEqual([]);
      });

      it('breaches the acknowledgement the day after, and keeps the clock running', () => {
        expect(breaches(dispute, '2024-06-11')).toEqual(['ACKNOWLEDGE']);
        expect(slaClocks(dispute, '2024-06-11')[0]).toEqual({
          clock: 'ACKNOWLEDGE',
          dueOn: '2024-06-10',
          stoppedOn: null,
          stoppedBy: null,
          breached: true,
        });
      });

      it('breaches both clocks once the resolution is overdue too', () => {
        expect(breaches(dispute, '2024-07-10')).toEqual(['ACKNOWLEDGE', 'RESOLVE']);
      });
    });

    describe('when the SSM acknowledges on the due date', () => {
      it('marks nothing as breached', () => {
        const dispute = DisputeBuilder.client('2024-06-03').acknowledgedOn('2024-06-10').build();
        expect(breaches(dispute, '2024-06-20')).toEqual([]);
        expect(slaClocks(dispute, '2024-06-20')[0]).toMatchObject({
          stoppedOn: '2024-06-10',
          stoppedBy: 'ACKNOWLEDGED',
          breached: false,
        });
      });
    });

    describe('when the SSM acknowledges late', () => {
      it('marks the acknowledgement as breached for good, and the resolution as on time', () => {
        const dispute = DisputeBuilder.client('2024-06-03')
          .acknowledgedOn('2024-06-11')
          .resolvedOn('2024-07-09')
          .build();
        expect(breaches(dispute, '2025-01-01')).toEqual(['ACKNOWLEDGE']);
        expect(slaClocks(dispute, '2025-01-01')).toEqual([
          {
            clock: 'ACKNOWLEDGE',
            dueOn: '2024-06-10',
            stoppedOn: '2024-06-11',
            stoppedBy: 'ACKNOWLEDGED',
            breached: true,
          },
          {
            clock: 'RESOLVE',
            dueOn: '2024-07-09',
            stoppedOn: '2024-07-09',
            stoppedBy: 'RESOLVED',
            breached: false,
          },
        ]);
      });
    });

    describe('when the dispute is resolved late', () => {
      it('marks the resolution as breached', () => {
        const dispute = DisputeBuilder.client('2024-06-03')
          .acknowledgedOn('2024-06-04')
          .resolvedOn('2024-07-10')
          .build();
        expect(breaches(dispute, '2024-07-10')).toEqual(['RESOLVE']);
      });
    });

    describe('when the dispute is taken straight into review after escalation', () => {
      it('counts the review as the acknowledgement', () => {
        const dispute = DisputeBuilder.client('2024-06-03')
          .escalatedOn('2024-06-05')
          .underReviewOn('2024-06-06')
          .build();
        expect(slaClocks(dispute, '2024-06-20')[0]).toMatchObject({
          stoppedBy: 'UNDER_REVIEW',
          breached: false,
        });
      });
    });

    describe('when a dispute is escalated', () => {
      it('keeps both clocks running from the opening date', () => {
        const dispute = DisputeBuilder.client('2024-06-03').escalatedOn('2024-06-05').build();
        expect(dispute.sla).toMatchObject({ acknowledgeBy: '2024-06-10', resolveBy: '2024-07-09' });
        expect(breaches(dispute, '2024-06-11')).toEqual(['ACKNOWLEDGE']);
      });
    });

    describe('when the party withdraws', () => {
      it('stops both clocks, so an on-time withdrawal is never breached', () => {
        const dispute = DisputeBuilder.client('2024-06-03').withdrawnOn('2024-06-05').build();
        expect(breaches(dispute, '2030-01-01')).toEqual([]);
        expect(slaClocks(dispute, '2030-01-01').map((c) => c.stoppedBy)).toEqual(['WITHDRAWN', 'WITHDRAWN']);
      });

      it('keeps the breach of a clock that ran out before the withdrawal', () => {
        const dispute = DisputeBuilder.client('2024-06-03').withdrawnOn('2024-06-12').build();
        expect(breaches(dispute, '2030-01-01')).toEqual(['ACKNOWLEDGE']);
      });
    });

    describe('over the holidays', () => {
      const dispute = DisputeBuilder.client('2024-12-20').build(); // acknowledge by 31 December

      it('waits through Christmas and Boxing Day', () => {
        expect(breaches(dispute, '2024-12-27')).toEqual([]);
        expect(breaches(dispute, '2024-12-31')).toEqual([]);
      });

      it('is breached the next calendar day, holiday or not', () => {
        expect(breaches(dispute, '2025-01-01')).toEqual(['ACKNOWLEDGE']);
      });
    });

    it('refuses a today that is not a date', () => {
      expect(() => breaches(DisputeBuilder.client().build(), '2024-13-01')).toThrow(RangeError);
    });
  });

  describe('validating a new policy version', () => {
    const today = '2024-06-03';

    it('accepts whole business days, acknowledgement first, from today on', () => {
      expect(validateSlaPolicyVersion(version(today, 5, 25), today)).toBeNull();
      expect(validateSlaPolicyVersion(version('2024-09-01', 10, 10), today)).toBeNull();
    });

    it.each([
      ['no days to acknowledge', version(today, 0, 25), 'input.acknowledgeWithinBusinessDays'],
      ['a fraction of a day', version(today, 5, 25.5), 'input.resolveWithinBusinessDays'],
      ['more than a year of business days', version(today, 5, 261), 'input.resolveWithinBusinessDays'],
      ['acknowledgement due after resolution', version(today, 30, 25), 'input.acknowledgeWithinBusinessDays'],
      ['a date that does not exist', version('2024-06-31', 5, 25), 'input.effectiveFrom'],
    ])('refuses %s', (_case, policy, field) => {
      expect(validateSlaPolicyVersion(policy, today)).toMatchObject({ code: 'VALIDATION_FAILED', field });
    });

    it('refuses a version that would start in the past and rewrite running clocks', () => {
      expect(validateSlaPolicyVersion(version('2024-06-02', 5, 25), today)).toMatchObject({
        code: 'RULE_VIOLATION',
        field: 'input.effectiveFrom',
      });
    });
  });
});
