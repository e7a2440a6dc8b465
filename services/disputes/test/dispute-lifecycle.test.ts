import {
  allowedTransitions,
  DISPUTE_STATUSES,
  escalateDispute,
  nextLevel,
  openDispute,
  reopenDispute,
  startingLevel,
  transitionDispute,
  type DisputeState,
  type DisputeStatus,
  type OpenDisputeInput,
} from '../src/dispute/dispute-lifecycle';
import { accepted, change, clientDisputeIn, DisputeBuilder, refusal } from './dispute-builder';

/** The legal moves, written out again here so a change to the table in the code breaks a test. */
const LEGAL = new Set([
  'OPENED → ACKNOWLEDGED',
  'OPENED → ESCALATED',
  'OPENED → WITHDRAWN',
  'ACKNOWLEDGED → UNDER_REVIEW',
  'ACKNOWLEDGED → ESCALATED',
  'ACKNOWLEDGED → RESOLVED',
  'ACKNOWLEDGED → WITHDRAWN',
  'UNDER_REVIEW → ESCALATED',
  'UNDER_REVIEW → RESOLVED',
  'UNDER_REVIEW → WITHDRAWN',
  'ESCALATED → UNDER_REVIEW',
  'ESCALATED → ESCALATED',
  'ESCALATED → RESOLVED',
  'ESCALATED → WITHDRAWN',
]);

const ALL_MOVES = DISPUTE_STATUSES.flatMap((from) => DISPUTE_STATUSES.map((to) => [from, to] as const));
const LEGAL_MOVES = ALL_MOVES.filter(([from, to]) => LEGAL.has(`${from} → ${to}`));
const ILLEGAL_MOVES = ALL_MOVES.filter(([from, to]) => !LEGAL.has(`${from} → ${to}`));

const LATER = '2024-06-12';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const openInput = (overrides: Partial<OpenDisputeInput> = {}): OpenDisputeInput => ({
  reference: 'D-2024-0001',
  kind: 'CLIENT',
  on: '2024-06-03',
  by: 'client-1',
  reason: 'The service was not delivered as agreed',
  slaPolicies: [],
  ...overrides,
});

describe('Dispute lifecycle', () => {
  describe('opening a dispute', () => {
    it('opens a client dispute at the provider level, with who, when and why', () => {
      const dispute = accepted(openDispute(openInput()));
      expect(dispute).toMatchObject({
        reference: 'D-2024-0001',
        kind: 'CLIENT',
        status: 'OPENED',
        level: 'PROVIDER',
        openedOn: '2024-06-03',
        resolution: null,
        reopenedFrom: null,
      });
      expect(dispute.history).toEqual([
        {
          status: 'OPENED',
          level: 'PROVIDER',
          on: '2024-06-03',
          by: 'client-1',
          reason: 'The service was not delivered as agreed',
        },
      ]);
    });

    it('opens a service-provider dispute at the SSM level', () => {
      const dispute = accepted(openDispute(openInput({ kind: 'SERVICE_PROVIDER', by: 'provider-1' })));
      expect(dispute.level).toBe('SSM');
      expect(dispute.history[0]!.level).toBe('SSM');
      expect(startingLevel('SERVICE_PROVIDER')).toBe('SSM');
      expect(startingLevel('CLIENT')).toBe('PROVIDER');
    });

    it('opens a client dispute with no provider party at the SSM level', () => {
      const dispute = accepted(openDispute(openInput({ providerParty: false })));
      expect(dispute).toMatchObject({ level: 'SSM', history: [expect.objectContaining({ level: 'SSM' })] });
      expect(startingLevel('CLIENT', false)).toBe('SSM');
      expect(startingLevel('SERVICE_PROVIDER', false)).toBe('SSM');
    });

    it.each([
      ['an empty reference', { reference: ' ' }, 'input.reference'],
      ['no one who filed it', { by: '' }, null],
      ['a date that does not exist', { on: '2024-02-30' }, 'input.on'],
      ['no reason', { reason: '   ' }, 'input.reason'],
      ['an unknown kind', { kind: 'EMPLOYER' as never }, 'input.kind'],
    ])('refuses a dispute with %s', (_case, overrides, field) => {
      expect(refusal(openDispute(openInput(overrides)))).toMatchObject({ code: 'VALIDATION_FAILED', field });
    });
  });

  describe('the transition table', () => {
    it.each(LEGAL_MOVES)('allows %s → %s, recording who, when and why', (from, to) => {
      const dispute = clientDisputeIn(from);
      const moved = accepted(transitionDispute(dispute, change(to, LATER, { by: 'ssm-worker-7' })));
      expect(moved.status).toBe(to);
      expect(moved.history).toHaveLength(dispute.history.length + 1);
      expect(moved.history.at(-1)).toEqual({
        status: to,
        level: moved.level,
        on: LATER,
        by: 'ssm-worker-7',
        reason: `Moved to ${to}`,
      });
    });

    it.each(ILLEGAL_MOVES)('refuses %s → %s as a rule violation', (from, to) => {
      const dispute = clientDisputeIn(from);
      expect(refusal(transitionDispute(dispute, change(to, LATER)))).toMatchObject({
        code: 'RULE_VIOLATION',
        field: 'input.status',
      });
    });

    it('lists the moves a dispute may make now', () => {
      for (const status of DISPUTE_STATUSES) {
        const expected = DISPUTE_STATUSES.filter((to) => LEGAL.has(`${status} → ${to}`));
        expect(allowedTransitions(clientDisputeIn(status))).toEqual(expected);
      }
    });

    it('asks for an acknowledgement before a resolution', () => {
      const error = refusal(transitionDispute(clientDisputeIn('OPENED'), change('RESOLVED', LATER)));
      expect(error.message).toBe(
        'A dispute cannot go from OPENED to RESOLVED; from OPENED it can go to ACKNOWLEDGED, ESCALATED, WITHDRAWN',
      );
    });

    it('refuses a status that does not exist', () => {
      const error = refusal(
        transitionDispute(clientDisputeIn('OPENED'), change('LOST' as DisputeStatus, LATER)),
      );
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.status' });
    });
  });

  describe.each(['RESOLVED', 'WITHDRAWN'] as const)('a %s dispute', (closedStatus) => {
    const closed = clientDisputeIn(closedStatus);

    it.each(DISPUTE_STATUSES)('is closed: refuses a move to %s and points to reopening', (to) => {
      const error = refusal(transitionDispute(closed, change(to, LATER)));
      expect(error.code).toBe('RULE_VIOLATION');
      expect(error.message).toContain(`is ${closedStatus} and closed`);
      expect(error.message).toContain('reopening it creates a new, linked dispute');
    });

    it('offers no move at all', () => {
      expect(allowedTransitions(closed)).toEqual([]);
    });
  });

  describe('the escalation ladder', () => {
    it('takes a client dispute from the provider to the SSM to the ministry, and no further', () => {
      const atSsm = accepted(escalateDispute(clientDisputeIn('OPENED'), change('ESCALATED', '2024-06-11')));
      const atMinistry = accepted(escalateDispute(atSsm, change('ESCALATED', '2024-07-10')));
      expect([atSsm.level, atMinistry.level]).toEqual(['SSM', 'MINISTRY']);
      expect(atMinistry.history.map((t) => `${t.status}@${t.level}`)).toEqual([
        'OPENED@PROVIDER',
        'ESCALATED@SSM',
        'ESCALATED@MINISTRY',
      ]);
      const error = refusal(escalateDispute(atMinistry, change('ESCALATED', '2024-08-01')));
      expect(error).toMatchObject({ code: 'RULE_VIOLATION', field: 'input.status' });
      expect(error.message).toContain('already at the MINISTRY level');
    });

    it('takes a service-provider dispute from the SSM to the ministry, and no further', () => {
      const dispute = DisputeBuilder.serviceProvider('2024-06-03').acknowledgedOn('2024-06-04').build();
      const atMinistry = accepted(escalateDispute(dispute, change('ESCALATED', '2024-06-20')));
      expect(atMinistry.level).toBe('MINISTRY');
      expect(refusal(escalateDispute(atMinistry, change('ESCALATED', '2024-06-21'))).code).toBe(
        'RULE_VIOLATION',
      );
    });

    it('climbs one level from acknowledgement and from review as well', () => {
      expect(
        accepted(escalateDispute(clientDisputeIn('ACKNOWLEDGED'), change('ESCALATED', LATER))).level,
      ).toBe('SSM');
      expect(
        accepted(escalateDispute(clientDisputeIn('UNDER_REVIEW'), change('ESCALATED', LATER))).level,
      ).toBe('SSM');
    });

    it('keeps the level while the ministry reviews, and still refuses to go beyond it', () => {
      const reviewed = DisputeBuilder.client('2024-06-03')
        .escalatedOn('2024-06-11')
        .escalatedOn('2024-06-20')
        .underReviewOn('2024-06-21')
        .build();
      expect(reviewed).toMatchObject({ status: 'UNDER_REVIEW', level: 'MINISTRY' });
      expect(allowedTransitions(reviewed)).toEqual(['RESOLVED', 'WITHDRAWN']);
      expect(refusal(escalateDispute(reviewed, change('ESCALATED', '2024-06-24'))).code).toBe(
        'RULE_VIOLATION',
      );
    });

    it('never changes the level on other moves', () => {
      const dispute = DisputeBuilder.client().escalatedOn('2024-06-11').underReviewOn('2024-06-12').build();
      const resolved = accepted(transitionDispute(dispute, change('RESOLVED', '2024-06-13')));
      expect(resolved.history.map((t) => t.level)).toEqual(['PROVIDER', 'SSM', 'SSM', 'SSM']);
    });

    it('names the level above each level', () => {
      expect([nextLevel('PROVIDER'), nextLevel('SSM'), nextLevel('MINISTRY')]).toEqual([
        'SSM',
        'MINISTRY',
        null,
      ]);
    });
  });

  describe('recording changes', () => {
    it('appends to the history and never changes the dispute it was given', () => {
      const dispute = deepFreeze(clientDisputeIn('ACKNOWLEDGED'));
      const before = structuredClone(dispute);
      const moved = accepted(transitionDispute(dispute, change('UNDER_REVIEW', LATER)));
      expect(dispute).toEqual(before);
      expect(moved.history.slice(0, -1)).toEqual(before.history);
    });

    it('accepts a change on the same day as the last one, and refuses one dated before it', () => {
      const dispute = clientDisputeIn('ACKNOWLEDGED'); // acknowledged 2024-06-04
      expect(accepted(transitionDispute(dispute, change('UNDER_REVIEW', '2024-06-04'))).status).toBe(
        'UNDER_REVIEW',
      );
      expect(refusal(transitionDispute(dispute, change('UNDER_REVIEW', '2024-06-03')))).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'input.on',
      });
    });

    it.each([
      ['no reason', { reason: '' }, 'input.reason'],
      ['a reason longer than 1000 characters', { reason: 'x'.repeat(1001) }, 'input.reason'],
      ['no one who made it', { by: ' ' }, null],
      ['a date that does not exist', { on: '2024-06-31' }, 'input.on'],
    ])('refuses a change with %s', (_case, overrides, field) => {
      const error = refusal(
        transitionDispute(clientDisputeIn('OPENED'), change('ACKNOWLEDGED', LATER, overrides)),
      );
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    });

    it('keeps the reason without surrounding blanks', () => {
      const moved = accepted(
        transitionDispute(
          clientDisputeIn('OPENED'),
          change('ACKNOWLEDGED', LATER, { reason: '  Received \n' }),
        ),
      );
      expect(moved.history.at(-1)!.reason).toBe('Received');
    });
  });

  describe('resolving', () => {
    it('records the outcome, the summary and the date', () => {
      const resolved = accepted(
        transitionDispute(
          clientDisputeIn('UNDER_REVIEW'),
          change('RESOLVED', LATER, {
            resolution: { outcome: 'PARTLY_UPHELD', summary: ' Sessions rebooked ' },
          }),
        ),
      );
      expect(resolved.resolution).toEqual({
        outcome: 'PARTLY_UPHELD',
        summary: 'Sessions rebooked',
        on: LATER,
      });
    });

    it.each([
      ['without a resolution', { resolution: null }, 'input.resolution'],
      [
        'with an unknown outcome',
        { resolution: { outcome: 'MAYBE' as never, summary: 'Done' } },
        'input.resolution.outcome',
      ],
      [
        'with an empty summary',
        { resolution: { outcome: 'UPHELD' as const, summary: ' ' } },
        'input.resolution.summary',
      ],
      [
        'with a summary over 4000 characters',
        { resolution: { outcome: 'UPHELD' as const, summary: 'x'.repeat(4001) } },
        'input.resolution.summary',
      ],
    ])('refuses to resolve %s', (_case, overrides, field) => {
      const error = refusal(
        transitionDispute(clientDisputeIn('ACKNOWLEDGED'), change('RESOLVED', LATER, overrides)),
      );
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    });

    it('refuses a resolution on any other move', () => {
      const input = change('UNDER_REVIEW', LATER, { resolution: { outcome: 'UPHELD', summary: 'Done' } });
      expect(refusal(transitionDispute(clientDisputeIn('ACKNOWLEDGED'), input)).field).toBe(
        'input.resolution',
      );
    });

    it('keeps no resolution on a withdrawn dispute', () => {
      expect(clientDisputeIn('WITHDRAWN').resolution).toBeNull();
    });
  });

  describe('reopening', () => {
    const reopenInput = {
      reference: 'D-2024-0002',
      on: '2024-07-02',
      by: 'client-1',
      reason: 'It happened again',
    };

    it('creates a new OPENED dispute linked to the closed one, which stays as it was', () => {
      const closed = deepFreeze(
        DisputeBuilder.client('2024-06-03').escalatedOn('2024-06-11').resolvedOn('2024-06-20').build(),
      );
      const before = structuredClone(closed);
      const reopened = accepted(reopenDispute(closed, { ...reopenInput, slaPolicies: [] }));
      expect(closed).toEqual(before);
      expect(reopened).toMatchObject({
        reference: 'D-2024-0002',
        kind: 'CLIENT',
        status: 'OPENED',
        level: 'SSM',
        openedOn: '2024-07-02',
        reopenedFrom: 'D-2024-0001',
        resolution: null,
      });
      expect(reopened.history).toEqual([
        { status: 'OPENED', level: 'SSM', on: '2024-07-02', by: 'client-1', reason: 'It happened again' },
      ]);
    });

    it('starts fresh clocks on the reopening date, under the policy in force that day', () => {
      const policies = [
        { effectiveFrom: '2024-07-01', acknowledgeWithinBusinessDays: 3, resolveWithinBusinessDays: 20 },
      ];
      const closed = DisputeBuilder.client('2024-06-03')
        .underPolicies(policies)
        .withdrawnOn('2024-06-05')
        .build();
      expect(closed.sla).toEqual({
        policy: { acknowledgeWithinBusinessDays: 5, resolveWithinBusinessDays: 25 },
        acknowledgeBy: '2024-06-10',
        resolveBy: '2024-07-09',
      });
      const reopened = accepted(reopenDispute(closed, { ...reopenInput, slaPolicies: policies }));
      expect(reopened.sla).toEqual({
        policy: { acknowledgeWithinBusinessDays: 3, resolveWithinBusinessDays: 20 },
        acknowledgeBy: '2024-07-05',
        resolveBy: '2024-07-30',
      });
    });

    it.each(['OPENED', 'ACKNOWLEDGED', 'UNDER_REVIEW', 'ESCALATED'] as const)(
      'refuses to reopen a dispute that is still %s',
      (status) => {
        const error = refusal(reopenDispute(clientDisputeIn(status), { ...reopenInput, slaPolicies: [] }));
        expect(error.code).toBe('RULE_VIOLATION');
        expect(error.message).toContain('still open');
      },
    );

    it.each([
      ['the reference of the closed dispute', { reference: 'D-2024-0001' }, 'input.reference'],
      ['a date before the dispute was closed', { on: '2024-06-05' }, 'input.on'],
      ['no reason', { reason: '' }, 'input.reason'],
    ])('refuses to reopen with %s', (_case, overrides, field) => {
      const closed: DisputeState = clientDisputeIn('RESOLVED'); // resolved 2024-06-06
      const error = refusal(reopenDispute(closed, { ...reopenInput, ...overrides, slaPolicies: [] }));
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    });
  });
});
