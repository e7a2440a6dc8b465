import { periodOn } from '../src';

describe('Catchment period', () => {
  const phase2 = {
    planningStartDate: '2023-02-01',
    transitionStartDate: '2023-05-01',
    iesDeliveryStartDate: '2024-01-01',
  };

  describe('for the published Phase 2 timeline', () => {
    it('is not started before contract signing', () => {
      expect(periodOn(phase2, '2023-01-31')).toBe('NOT_STARTED');
    });
    it('is planning from the first day of planning until the day before transition', () => {
      expect(periodOn(phase2, '2023-02-01')).toBe('PLANNING');
      expect(periodOn(phase2, '2023-04-30')).toBe('PLANNING');
    });
    it('is transition from 1 May until 31 December 2023', () => {
      expect(periodOn(phase2, '2023-05-01')).toBe('TRANSITION');
      expect(periodOn(phase2, '2023-12-31')).toBe('TRANSITION');
    });
    it('is IES delivery from 1 January 2024 on', () => {
      expect(periodOn(phase2, '2024-01-01')).toBe('IES_DELIVERY');
      expect(periodOn(phase2, '2030-06-15')).toBe('IES_DELIVERY');
    });
  });

  describe('when dates are to be announced', () => {
    it('is not started whatever the date', () => {
      const tba = { planningStartDate: null, transitionStartDate: null, iesDeliveryStartDate: null };
      expect(periodOn(tba, '2099-01-01')).toBe('NOT_STARTED');
    });
    it('is planning once planning is dated and the rest is not', () => {
      const planningOnly = {
        planningStartDate: '2026-04-01',
        transitionStartDate: null,
        iesDeliveryStartDate: null,
      };
      expect(periodOn(planningOnly, '2026-03-31')).toBe('NOT_STARTED');
      expect(periodOn(planningOnly, '2027-04-01')).toBe('PLANNING');
    });
  });
});
