import type { DisputeState } from '../src/dispute/dispute-lifecycle';
import type { DisputeDoc } from '../src/dispute/dispute.model';
import { newDisputeDoc } from '../src/dispute/dispute-state';
import { breachPlan, unrecordedBreach } from '../src/sla-sweep/sla-breach';
import { DisputeBuilder } from './dispute-builder';

const docOf = (state: DisputeState): DisputeDoc => ({
  ...newDisputeDoc(state, {
    _id: 'dsp-1',
    catchmentId: 'durham',
    ssmId: 'region-of-durham',
    providerId: 'sp-durham-1',
    clientId: 'client-1',
    clientCamsReference: null,
    category: 'SERVICE_QUALITY',
    description: 'x',
    createdAt: new Date(0),
    createdBy: 'test',
  }),
  version: 1,
});

/** Applies a plan's `set` as the change log would. */
const applied = (doc: DisputeDoc, asOf: string): DisputeDoc => ({ ...doc, ...breachPlan(doc, asOf)!.set });

describe('SLA breach handling', () => {
  // Opened Monday 3 June 2024: acknowledge by 10 June, resolve by 9 July (Canada Day skipped).
  describe('when nobody acknowledges a client dispute', () => {
    const dispute = docOf(DisputeBuilder.client('2024-06-03').build());

    it('finds nothing on the due date itself', () => {
      expect(unrecordedBreach(dispute, '2024-06-10')).toBeNull();
      expect(breachPlan(dispute, '2024-06-10')).toBeNull();
    });

    it('escalates to the SSM the day after, recording the breach and who escalated', () => {
      const plan = breachPlan(dispute, '2024-06-11')!;
      expect(plan.kind).toBe('SLA_ESCALATION');
      expect(plan.set).toMatchObject({
        status: 'ESCALATED',
        level: 'SSM',
        slaBreaches: [
          {
            clock: 'ACKNOWLEDGE',
            dueOn: '2024-06-10',
            detectedOn: '2024-06-11',
            handling: 'ESCALATED',
            escalatedTo: 'SSM',
          },
        ],
      });
      expect(plan.set.history!.at(-1)).toMatchObject({
        status: 'ESCALATED',
        level: 'SSM',
        by: 'system:sla-sweep',
        on: '2024-06-11',
        reason:
          'Acknowledgement was due by 2024-06-10 and is overdue: escalated automatically to the SSM level',
      });
      expect(plan.events!.map((e) => e.type)).toEqual([
        'DisputeStatusChanged',
        'DisputeEscalated',
        'DisputeSlaBreached',
      ]);
      expect(plan.events![1]).toMatchObject({
        catchmentId: dispute.catchmentId,
        data: { trigger: 'SLA_BREACH', fromLevel: 'PROVIDER', toLevel: 'SSM' },
      });
    });

    it('never handles a recorded breach again', () => {
      const once = applied(dispute, '2024-06-11');
      expect(breachPlan(once, '2024-06-12')).toBeNull();
      expect(breachPlan(once, '2024-07-09')).toBeNull();
    });

    it('escalates again to the ministry when the resolution is overdue too, one breach at a time', () => {
      const first = applied(dispute, '2024-07-10');
      expect(first.slaBreaches.map((b) => b.clock)).toEqual(['ACKNOWLEDGE']);
      const second = applied(first, '2024-07-10');
      expect(second).toMatchObject({ level: 'MINISTRY', status: 'ESCALATED' });
      expect(second.slaBreaches.map((b) => `${b.clock}:${b.escalatedTo}`)).toEqual([
        'ACKNOWLEDGE:SSM',
        'RESOLVE:MINISTRY',
      ]);
      expect(breachPlan(second, '2024-07-10')).toBeNull();
    });
  });

  describe('when a party escalated after the due date already', () => {
    it('records the breach without escalating again', () => {
      const dispute = docOf(DisputeBuilder.client('2024-06-03').escalatedOn('2024-06-11').build());
      const plan = breachPlan(dispute, '2024-06-12')!;
      expect(plan.kind).toBe('SLA_BREACH');
      expect(plan.set).toEqual({
        slaBreaches: [
          expect.objectContaining({ clock: 'ACKNOWLEDGE', handling: 'ALREADY_ESCALATED', escalatedTo: null }),
        ],
      });
    });
  });

  describe('when the dispute is at the ministry already', () => {
    it('records the breach as at the top level', () => {
      const dispute = docOf(
        DisputeBuilder.client('2024-06-03').escalatedOn('2024-06-04').escalatedOn('2024-06-05').build(),
      );
      expect(breachPlan(dispute, '2024-06-11')!.set).toEqual({
        slaBreaches: [expect.objectContaining({ handling: 'AT_TOP_LEVEL', escalatedTo: null })],
      });
    });
  });

  describe('clocks that stopped', () => {
    it('are not the sweep’s concern, late or not, nor is a closed dispute', () => {
      const late = docOf(DisputeBuilder.client('2024-06-03').acknowledgedOn('2024-06-12').build());
      expect(breachPlan(late, '2024-06-13')).toBeNull();
      const withdrawn = docOf(DisputeBuilder.client('2024-06-03').withdrawnOn('2024-06-05').build());
      expect(breachPlan(withdrawn, '2025-01-01')).toBeNull();
    });
  });

  it('does not act for a date before the dispute’s last change', () => {
    const dispute = docOf(DisputeBuilder.client('2024-06-03').to('ACKNOWLEDGED', '2024-07-15').build());
    // The resolution clock runs past 9 July, but a sweep "as of" 12 July cannot add a change before 15 July.
    expect(breachPlan(dispute, '2024-07-12')).toBeNull();
    expect(breachPlan(dispute, '2024-07-15')!.set.level).toBe('SSM');
  });
});
