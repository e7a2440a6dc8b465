import {
  addDays,
  fiscalQuarterOf,
  fiscalQuartersBetween,
  fiscalYearBounds,
  fiscalYearLabel,
  fiscalYearOf,
  nextFiscalQuarter,
  previousFiscalQuarter,
  quarterBounds,
  quarterOverlaps,
} from '../src';

describe('Ontario fiscal quarters', () => {
  describe('at the fiscal year boundary', () => {
    it('puts 31 March in Q4 of the year that started the April before', () => {
      expect(fiscalQuarterOf('2024-03-31')).toEqual({
        fiscalYear: 2023,
        quarter: 4,
        label: '2023-24 Q4',
        startDate: '2024-01-01',
        endDate: '2024-03-31',
      });
    });

    it('starts a new fiscal year on 1 April', () => {
      expect(fiscalQuarterOf('2024-04-01')).toEqual({
        fiscalYear: 2024,
        quarter: 1,
        label: '2024-25 Q1',
        startDate: '2024-04-01',
        endDate: '2024-06-30',
      });
      expect(fiscalYearOf('2023-04-01')).toBe(2023);
      expect(fiscalYearOf('2023-03-31')).toBe(2022);
    });
  });

  describe('at quarter boundaries inside a fiscal year', () => {
    it('ends Q1 on 30 June and starts Q2 on 1 July', () => {
      expect(fiscalQuarterOf('2023-06-30')).toMatchObject({
        fiscalYear: 2023,
        quarter: 1,
        label: '2023-24 Q1',
      });
      expect(fiscalQuarterOf('2023-07-01')).toMatchObject({
        fiscalYear: 2023,
        quarter: 2,
        startDate: '2023-07-01',
        endDate: '2023-09-30',
      });
    });

    it('ends Q3 on 31 December and starts Q4 on 1 January of the next calendar year', () => {
      expect(fiscalQuarterOf('2023-12-31')).toMatchObject({
        fiscalYear: 2023,
        quarter: 3,
        startDate: '2023-10-01',
        endDate: '2023-12-31',
      });
      expect(fiscalQuarterOf('2024-01-01')).toMatchObject({
        fiscalYear: 2023,
        quarter: 4,
        label: '2023-24 Q4',
      });
    });

    it('assigns every day of a fiscal year to the quarter whose bounds contain it', () => {
      for (let day = '2023-04-01'; day <= '2024-03-31'; day = addDays(day, 1)) {
        const q = fiscalQuarterOf(day);
        expect(q.fiscalYear).toBe(2023);
        expect(day >= q.startDate && day <= q.endDate).toBe(true);
      }
    });
  });

  describe('labels and bounds', () => {
    it('names fiscal years by both calendar years, across a century', () => {
      expect(fiscalYearLabel(2023)).toBe('2023-24');
      expect(fiscalYearLabel(1999)).toBe('1999-00');
      expect(fiscalYearBounds(2023)).toEqual({ startDate: '2023-04-01', endDate: '2024-03-31' });
    });

    it('knows a leap-year February ends Q4 on 31 March all the same', () => {
      expect(quarterBounds(2023, 4)).toMatchObject({ startDate: '2024-01-01', endDate: '2024-03-31' });
      expect(quarterBounds(2023, 2)).toMatchObject({ startDate: '2023-07-01', endDate: '2023-09-30' });
    });

    it('refuses quarters and dates that do not exist', () => {
      expect(() => quarterBounds(2023, 5)).toThrow(RangeError);
      expect(() => quarterBounds(2023, 0)).toThrow(RangeError);
      expect(() => fiscalQuarterOf('2023-02-30')).toThrow(RangeError);
    });
  });

  describe('stepping', () => {
    it('steps from Q4 to Q1 of the next fiscal year and back', () => {
      expect(nextFiscalQuarter({ fiscalYear: 2023, quarter: 4 }).label).toBe('2024-25 Q1');
      expect(previousFiscalQuarter({ fiscalYear: 2024, quarter: 1 }).label).toBe('2023-24 Q4');
      expect(nextFiscalQuarter({ fiscalYear: 2023, quarter: 2 }).label).toBe('2023-24 Q3');
    });

    it('lists the quarters a term overlaps', () => {
      expect(fiscalQuartersBetween('2023-04-01', '2024-03-31').map((q) => q.label)).toEqual([
        '2023-24 Q1',
        '2023-24 Q2',
        '2023-24 Q3',
        '2023-24 Q4',
      ]);
      expect(fiscalQuartersBetween('2023-06-30', '2023-07-01').map((q) => q.label)).toEqual([
        '2023-24 Q1',
        '2023-24 Q2',
      ]);
      expect(fiscalQuartersBetween('2023-07-01', '2023-06-30')).toEqual([]);
      expect(quarterOverlaps(quarterBounds(2023, 1), '2023-06-30', '2023-12-31')).toBe(true);
      expect(quarterOverlaps(quarterBounds(2023, 1), '2023-07-01', '2023-12-31')).toBe(false);
    });
  });
});
