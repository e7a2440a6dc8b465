import type { PeriodDates } from '@ies/calendar';
import { equityOf } from '../src/client/equity';
import {
  activeOfferDue,
  isReferralSource,
  isSocialAssistanceReferral,
  MAX_REVIEW_DATES,
  PLAN_LIMITS,
  REFERRAL_SOURCES,
  refuseAssessmentLinkedElsewhere,
  refuseChangingClosedPlan,
  refuseMissingAssessment,
  refuseSecondActivePlan,
  validateActiveOffer,
  validatePlanClosing,
  validatePlanDates,
  validatePlanItem,
  validatePlanStructure,
  type ActiveOfferInput,
  type PlanGoalInput,
  type PlanClosing,
  type PlanItemInput,
  type PlanStatus,
} from '../src/action-plan/plan-rules';

const DURHAM: PeriodDates = {
  planningStartDate: '2023-02-01',
  transitionStartDate: '2023-05-01',
  iesDeliveryStartDate: '2024-01-01',
};
const TBA: PeriodDates = { planningStartDate: null, transitionStartDate: null, iesDeliveryStartDate: null };
const TODAY = '2025-06-15';

describe('Referral sources', () => {
  it('count Ontario Works and ODSP caseworkers as social-assistance referrals', () => {
    expect(REFERRAL_SOURCES.filter(isSocialAssistanceReferral)).toEqual(['ONTARIO_WORKS', 'ODSP']);
    expect(isReferralSource('SELF')).toBe(true);
    expect(isReferralSource('WALK_IN')).toBe(false);
  });
});

describe('Starting an action plan', () => {
  describe('without a Common Assessment', () => {
    it.each([
      ['2023-04-30', 'PLANNING'],
      ['2023-12-31', 'TRANSITION'],
    ])('is allowed on %s, in %s', (startedOn) => {
      expect(refuseMissingAssessment(DURHAM, startedOn, null)).toBeNull();
    });

    it('is refused from the first day of IES delivery', () => {
      expect(refuseMissingAssessment(DURHAM, '2024-01-01', null)).toEqual({
        code: 'RULE_VIOLATION',
        message:
          'The catchment is in IES delivery on 2024-01-01 (since 2024-01-01): an action plan starting then needs a Common Assessment',
        field: 'input.assessmentId',
      });
    });

    it('is allowed whatever the date while the catchment’s dates are to be announced', () => {
      expect(refuseMissingAssessment(TBA, '2030-01-01', null)).toBeNull();
    });
  });

  describe('with a Common Assessment', () => {
    it('accepts one dated on or before the start', () => {
      expect(refuseMissingAssessment(DURHAM, '2024-03-01', { assessedOn: '2024-03-01' })).toBeNull();
      expect(refuseMissingAssessment(DURHAM, '2024-03-01', { assessedOn: '2023-11-20' })).toBeNull();
    });

    it('refuses one dated after the start, in any period', () => {
      for (const startedOn of ['2023-06-01', '2024-03-01']) {
        expect(refuseMissingAssessment(DURHAM, startedOn, { assessedOn: '2024-03-02' })).toMatchObject({
          code: 'RULE_VIOLATION',
          field: 'input.assessmentId',
          message: expect.stringContaining('is dated after the plan starts'),
        });
      }
    });
  });

  it('refuses a second active plan and an assessment already linked to a plan', () => {
    expect(refuseSecondActivePlan(null)).toBeNull();
    expect(refuseSecondActivePlan('plan-1')).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('plan-1'),
    });
    expect(refuseAssessmentLinkedElsewhere(null)).toBeNull();
    expect(refuseAssessmentLinkedElsewhere('plan-2')?.code).toBe('CONFLICT');
  });
});

describe('Plan dates', () => {
  it('accept a start today or earlier, not tomorrow', () => {
    expect(validatePlanDates({ startedOn: TODAY }, TODAY)).toBeNull();
    expect(validatePlanDates({ startedOn: '2025-06-16' }, TODAY)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'A plan cannot start in the future (2025-06-16, today is 2025-06-15)',
      field: 'input.startedOn',
    });
  });

  it('refuse a date that does not exist or predates 2000', () => {
    expect(validatePlanDates({ startedOn: '2025-02-29' }, TODAY)?.field).toBe('input.startedOn');
    expect(validatePlanDates({ startedOn: '1999-12-31' }, TODAY)?.field).toBe('input.startedOn');
  });

  describe('review dates', () => {
    const plan = (reviewDates: string[]) => ({ startedOn: '2025-01-10', reviewDates });

    it('fall after the start and within five years, each once', () => {
      expect(validatePlanDates(plan(['2025-01-11', '2030-01-10']), TODAY)).toBeNull();
      expect(validatePlanDates(plan(['2025-01-10']), TODAY)?.field).toBe('input.reviewDates.0');
      expect(validatePlanDates(plan(['2025-03-01', '2030-01-11']), TODAY)?.field).toBe('input.reviewDates.1');
      expect(validatePlanDates(plan(['2025-03-01', '2025-03-01']), TODAY)?.message).toBe(
        'A review date is listed twice',
      );
    });

    it('are bounded in number', () => {
      const many = Array.from(
        { length: MAX_REVIEW_DATES + 1 },
        (_, i) => `2026-01-${String(i + 1).padStart(2, '0')}`,
      );
      expect(validatePlanDates(plan(many), TODAY)?.field).toBe('input.reviewDates');
    });
  });
});

describe('A closed plan', () => {
  it('is read-only', () => {
    expect(refuseChangingClosedPlan('CLOSED')).toEqual({
      code: 'RULE_VIOLATION',
      message: 'A closed action plan is read-only',
      field: null,
    });
    expect(refuseChangingClosedPlan('ACTIVE')).toBeNull();
  });
});

describe('Closing a plan', () => {
  const active: { status: PlanStatus; startedOn: string } = { status: 'ACTIVE', startedOn: '2025-01-10' };
  const close = (closing: Partial<PlanClosing>, plan = active) =>
    validatePlanClosing(plan, { closedOn: '2025-05-01', reason: 'EMPLOYED', ...closing }, TODAY);

  it('accepts a catalogued reason on a date from the start to today', () => {
    expect(close({})).toBeNull();
    expect(close({ closedOn: '2025-01-10' })).toBeNull();
    expect(close({ closedOn: TODAY, reason: 'REFERRED_ELSEWHERE' })).toBeNull();
  });

  it('refuses a plan already closed', () => {
    expect(close({}, { ...active, status: 'CLOSED' })?.code).toBe('RULE_VIOLATION');
  });

  it.each([
    [{ closedOn: '2025-01-09' }, 'input.closedOn', 'before it started'],
    [{ closedOn: '2025-06-16' }, 'input.closedOn', 'in the future'],
    [{ closedOn: '2025-04-31' }, 'input.closedOn', 'real date'],
    [{ reason: 'RETIRED' as never }, 'input.reason', 'EMPLOYED, EDUCATION_OR_TRAINING'],
    [{ reason: 'OTHER' as const }, 'input.note', 'needs a note'],
    [{ reason: 'OTHER' as const, note: '  ' }, 'input.note', 'needs a note'],
    [{ note: 'x'.repeat(1001) }, 'input.note', '0–1000'],
    [{ note: 'bad \u0000 byte' }, 'input.note', 'control'],
  ])('refuses %j at %s', (closing, field, message) => {
    expect(close(closing)).toMatchObject({
      code: 'VALIDATION_FAILED',
      field,
      message: expect.stringContaining(message),
    });
  });

  it('accepts OTHER with a note, on several lines', () => {
    expect(close({ reason: 'OTHER', note: 'Client started a business.\nFollow-up in the fall.' })).toBeNull();
  });
});

describe('Plan items', () => {
  const item = (extra: Partial<PlanItemInput> = {}): PlanItemInput => ({
    service: 'Job search workshop',
    providerId: 'sp-durham-1',
    startDate: '2025-02-01',
    endDate: '2025-02-28',
    status: 'COMPLETED',
    outcome: 'Finished; résumé updated.\nTwo interviews booked.',
    ...extra,
  });
  const check = (extra: Partial<PlanItemInput>) =>
    validatePlanItem(item(extra), '2025-01-10', TODAY, 'input.item');

  it('accepts a complete item and an open-ended one', () => {
    expect(check({})).toBeNull();
    expect(check({ status: 'IN_PROGRESS', endDate: null, outcome: null })).toBeNull();
    expect(check({ startDate: '2025-01-10', endDate: '2025-01-10' })).toBeNull();
  });

  it.each([
    [{ service: '' }, 'input.item.service'],
    [{ service: 'Work\nshop' }, 'input.item.service'],
    [{ providerId: '' }, 'input.item.providerId'],
    [{ providerId: 'sp 1' }, 'input.item.providerId'],
    [{ providerId: { $ne: null } as never }, 'input.item.providerId'],
    [{ startDate: '2025-01-09' }, 'input.item.startDate'],
    [{ startDate: '2025-02-30' }, 'input.item.startDate'],
    [{ endDate: '2025-01-31' }, 'input.item.endDate'],
    [{ status: 'DONE' as never }, 'input.item.status'],
    [{ status: 'COMPLETED', endDate: null }, 'input.item.endDate'],
    [{ status: 'COMPLETED', endDate: '2025-06-16' }, 'input.item.endDate'],
    [{ outcome: 'x'.repeat(PLAN_LIMITS.outcomeLength + 1) }, 'input.item.outcome'],
    [{ outcome: 'escape \u001b[0m' }, 'input.item.outcome'],
  ] as [Partial<PlanItemInput>, string][])('refuses %j at %s', (extra, field) => {
    expect(check(extra)).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });
});

describe('Goal, sub-goals and items', () => {
  const item: PlanItemInput = {
    service: 'Résumé clinic',
    providerId: 'sp-durham-2',
    startDate: '2025-02-01',
    endDate: null,
    status: 'PLANNED',
    outcome: null,
  };
  const plan = (subGoals: PlanGoalInput['subGoals'], goal = 'Work in logistics'): PlanGoalInput => ({
    goal,
    subGoals,
  });
  const subGoal = (items: number, description = 'Get a forklift licence') => ({
    description,
    items: Array.from({ length: items }, () => item),
  });
  const check = (input: PlanGoalInput) => validatePlanStructure(input, '2025-01-10', TODAY);

  it('accepts a goal with sub-goals up to the limits', () => {
    expect(check(plan([]))).toBeNull();
    expect(check(plan([subGoal(PLAN_LIMITS.itemsPerSubGoal), subGoal(2)]))).toBeNull();
  });

  it('refuses too many sub-goals, items per sub-goal or items in all, before reading any text', () => {
    const bad = '\u0000';
    const tooManySubGoals = Array.from({ length: PLAN_LIMITS.subGoals + 1 }, () => subGoal(0, bad));
    expect(check(plan(tooManySubGoals, bad))?.field).toBe('input.subGoals');
    expect(check(plan([subGoal(1, bad), subGoal(PLAN_LIMITS.itemsPerSubGoal + 1)], bad))?.field).toBe(
      'input.subGoals.1.items',
    );
    const sevenFull = Array.from({ length: 7 }, () => subGoal(PLAN_LIMITS.itemsPerSubGoal, bad));
    expect(check(plan(sevenFull, bad))).toMatchObject({
      field: 'input.subGoals',
      message: `A plan has at most ${PLAN_LIMITS.items} items in all`,
    });
  });

  it('refuses a missing or overlong goal and a sub-goal with control characters', () => {
    expect(check(plan([], ' '))?.field).toBe('input.goal');
    expect(check(plan([], 'g'.repeat(PLAN_LIMITS.goalLength + 1)))?.field).toBe('input.goal');
    expect(check(plan([subGoal(0), subGoal(0, 'Forklift\u0007')]))?.field).toBe(
      'input.subGoals.1.description',
    );
  });

  it('points at the item at fault', () => {
    const late = { ...item, startDate: '2025-03-01', endDate: '2025-02-01' };
    expect(check(plan([subGoal(1), { description: 'Apply', items: [item, item, late] }]))?.field).toBe(
      'input.subGoals.1.items.2.endDate',
    );
  });
});

describe('Active offer', () => {
  const indigenousClient = equityOf({ indigenous: 'YES' });
  const francophoneClient = equityOf({ francophone: 'YES' });
  const provider = { id: 'sp-london-indigenous', indigenousProvider: true, francophoneProvider: false };
  const offer = (extra: Partial<ActiveOfferInput> = {}): ActiveOfferInput => ({
    provider,
    answer: 'ACCEPTED',
    answeredOn: TODAY,
    ...extra,
  });

  describe('Indigenous', () => {
    it('is recorded for an Indigenous client with an Indigenous provider, accepted or declined', () => {
      expect(validateActiveOffer('INDIGENOUS', indigenousClient, offer(), TODAY)).toBeNull();
      expect(
        validateActiveOffer(
          'INDIGENOUS',
          indigenousClient,
          offer({ answer: 'DECLINED', answeredOn: '2025-01-02' }),
          TODAY,
        ),
      ).toBeNull();
    });

    it('is refused for a client who did not self-identify as Indigenous', () => {
      for (const answer of ['NO', 'PREFER_NOT_TO_ANSWER', null] as const) {
        expect(validateActiveOffer('INDIGENOUS', equityOf({ indigenous: answer }), offer(), TODAY)).toEqual({
          code: 'RULE_VIOLATION',
          message: 'An Indigenous active offer is recorded for a client who self-identified as Indigenous',
          field: 'input.kind',
        });
      }
    });

    it('must name an Indigenous service provider', () => {
      const other = { id: 'sp-london-1', indigenousProvider: false, francophoneProvider: true };
      expect(
        validateActiveOffer('INDIGENOUS', indigenousClient, offer({ provider: other }), TODAY),
      ).toMatchObject({
        code: 'RULE_VIOLATION',
        field: 'input.providerId',
        message: expect.stringContaining('Provider sp-london-1 is not an Indigenous service provider'),
      });
    });
  });

  describe('French-language', () => {
    const francophoneProvider = {
      id: 'sp-ottawa-francophone',
      indigenousProvider: false,
      francophoneProvider: true,
    };

    it('is recorded for a Francophone client with a francophone provider', () => {
      expect(
        validateActiveOffer(
          'FRENCH_LANGUAGE',
          francophoneClient,
          offer({ provider: francophoneProvider }),
          TODAY,
        ),
      ).toBeNull();
    });

    it('is refused for a client who is not Francophone, or with another provider', () => {
      expect(
        validateActiveOffer(
          'FRENCH_LANGUAGE',
          indigenousClient,
          offer({ provider: francophoneProvider }),
          TODAY,
        )?.message,
      ).toContain('self-identified as Francophone');
      expect(validateActiveOffer('FRENCH_LANGUAGE', francophoneClient, offer(), TODAY)?.message).toContain(
        'is not a francophone service provider',
      );
    });
  });

  it('needs the answer and a date not after today', () => {
    expect(
      validateActiveOffer('INDIGENOUS', indigenousClient, offer({ answer: 'MAYBE' as never }), TODAY)?.field,
    ).toBe('input.answer');
    expect(
      validateActiveOffer('INDIGENOUS', indigenousClient, offer({ answeredOn: '2025-06-16' }), TODAY)?.field,
    ).toBe('input.answeredOn');
    expect(
      validateActiveOffer('INDIGENOUS', indigenousClient, offer({ answeredOn: '15/06/2025' }), TODAY)?.field,
    ).toBe('input.answeredOn');
  });

  it('refuses an unknown kind', () => {
    expect(validateActiveOffer('ENGLISH' as never, indigenousClient, offer(), TODAY)?.field).toBe(
      'input.kind',
    );
  });

  describe('still owed', () => {
    const both = equityOf({ indigenous: 'YES', francophone: 'YES' });

    it('lists each offer the client self-identified for and has not yet been made', () => {
      expect(activeOfferDue(both, [])).toEqual(['INDIGENOUS', 'FRENCH_LANGUAGE']);
      expect(activeOfferDue(both, [{ kind: 'INDIGENOUS' }])).toEqual(['FRENCH_LANGUAGE']);
      expect(activeOfferDue(both, [{ kind: 'FRENCH_LANGUAGE' }, { kind: 'INDIGENOUS' }])).toEqual([]);
    });

    it('owes nothing to a client who answered NO, preferred not to answer or was not asked', () => {
      expect(activeOfferDue(equityOf({ indigenous: 'PREFER_NOT_TO_ANSWER', francophone: 'NO' }), [])).toEqual(
        [],
      );
      expect(activeOfferDue(equityOf({}), [])).toEqual([]);
    });
  });
});
