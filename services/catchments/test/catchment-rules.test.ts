import { validateReason } from '@ies/subgraph-kit';
import { normalizeZone, validatePeriodDates } from '../src/catchment-area/catchment-rules';

describe('Catchment rules', () => {
  describe('period dates', () => {
    it('accept planning ≤ transition ≤ delivery, including equal dates', () => {
      expect(
        validatePeriodDates({
          planningStartDate: '2023-02-01',
          transitionStartDate: '2023-05-01',
          iesDeliveryStartDate: '2024-01-01',
        }),
      ).toBeNull();
      expect(
        validatePeriodDates({
          planningStartDate: '2023-02-01',
          transitionStartDate: '2023-02-01',
          iesDeliveryStartDate: '2023-02-01',
        }),
      ).toBeNull();
      expect(
        validatePeriodDates({
          planningStartDate: null,
          transitionStartDate: null,
          iesDeliveryStartDate: null,
        }),
      ).toBeNull();
    });

    it('refuse a transition before planning, naming the field', () => {
      expect(
        validatePeriodDates({
          planningStartDate: '2023-05-01',
          transitionStartDate: '2023-02-01',
          iesDeliveryStartDate: null,
        }),
      ).toEqual({
        code: 'VALIDATION_FAILED',
        message:
          'The transition start date (2023-02-01) must not be before the planning start date (2023-05-01)',
        field: 'input.transitionStartDate',
      });
    });

    it('refuse a delivery before planning even when transition is in between', () => {
      const error = validatePeriodDates({
        planningStartDate: '2024-02-01',
        transitionStartDate: '2024-03-01',
        iesDeliveryStartDate: '2024-01-01',
      });
      expect(error?.field).toBe('input.iesDeliveryStartDate');
    });

    it('refuse a later period dated while an earlier one is TBA', () => {
      const error = validatePeriodDates({
        planningStartDate: null,
        transitionStartDate: '2024-03-01',
        iesDeliveryStartDate: null,
      });
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.planningStartDate' });
    });

    it('refuse a date that does not exist', () => {
      const error = validatePeriodDates({
        planningStartDate: '2023-02-30',
        transitionStartDate: null,
        iesDeliveryStartDate: null,
      });
      expect(error?.field).toBe('input.planningStartDate');
    });
  });

  describe('reasons', () => {
    it('are required and bounded', () => {
      expect(validateReason('  ')?.field).toBe('input.reason');
      expect(validateReason('x'.repeat(1001))?.code).toBe('VALIDATION_FAILED');
      expect(validateReason('Ministry announcement')).toBeNull();
    });
  });

  describe('service delivery zones', () => {
    it('trim names and drop duplicate communities', () => {
      expect(
        normalizeZone({ name: ' Far North ', communities: ['Moosonee', 'Moosonee ', 'Attawapiskat'] }),
      ).toEqual({
        zone: { name: 'Far North', communities: ['Moosonee', 'Attawapiskat'] },
      });
    });
    it('need at least one community', () => {
      expect(normalizeZone({ name: 'Empty', communities: [] })).toMatchObject({
        error: { field: 'input.communities' },
      });
    });
  });
});
