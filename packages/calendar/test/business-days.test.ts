import { addBusinessDays, addDays, businessDaysBetween, isBusinessDay } from '../src';

describe('Ontario business days', () => {
  describe('which days are business days', () => {
    it('counts Monday to Friday', () => {
      expect(isBusinessDay('2024-06-03')).toBe(true); // Monday
      expect(isBusinessDay('2024-06-07')).toBe(true); // Friday
      expect(isBusinessDay('2024-06-08')).toBe(false); // Saturday
      expect(isBusinessDay('2024-06-09')).toBe(false); // Sunday
    });

    it('skips the days holidays are observed, substitute days included', () => {
      expect(isBusinessDay('2024-03-29')).toBe(false); // Good Friday
      expect(isBusinessDay('2023-07-03')).toBe(false); // Canada Day (a Saturday) observed
      expect(isBusinessDay('2021-12-28')).toBe(false); // Boxing Day (a Sunday) observed
    });

    it('keeps the days Ontario does not make holidays', () => {
      expect(isBusinessDay('2024-04-01')).toBe(true); // Easter Monday
      expect(isBusinessDay('2024-08-05')).toBe(true); // Civic Holiday
      expect(isBusinessDay('2024-11-11')).toBe(true); // Remembrance Day
    });
  });

  describe('adding business days', () => {
    it('starts counting on the day after the start date', () => {
      expect(addBusinessDays('2024-06-03', 1)).toBe('2024-06-04');
      expect(addBusinessDays('2024-06-07', 1)).toBe('2024-06-10'); // Friday → Monday
      expect(addBusinessDays('2024-06-08', 1)).toBe('2024-06-10'); // Saturday → Monday
      expect(addBusinessDays('2024-06-03', 5)).toBe('2024-06-10'); // a week
    });

    describe('with zero days', () => {
      it('returns a business day itself', () => {
        expect(addBusinessDays('2024-06-05', 0)).toBe('2024-06-05');
      });

      it('moves a weekend or a holiday to the next business day', () => {
        expect(addBusinessDays('2024-06-08', 0)).toBe('2024-06-10');
        expect(addBusinessDays('2024-05-20', 0)).toBe('2024-05-21'); // Victoria Day
        expect(addBusinessDays('2021-12-25', 0)).toBe('2021-12-29'); // past both substitute days
      });
    });

    describe('across holidays', () => {
      it.each([
        ['over Good Friday to Easter Monday', '2024-03-28', 1, '2024-04-01'],
        ['over the Victoria Day long weekend', '2024-05-17', 1, '2024-05-21'],
        ['over a Canada Day observed on Monday', '2023-06-30', 1, '2023-07-04'],
        ['over Christmas and Boxing Day on weekdays', '2024-12-20', 5, '2024-12-31'],
        ['over Thanksgiving', '2024-10-11', 1, '2024-10-15'],
        ['over Family Day', '2026-02-13', 1, '2026-02-17'],
      ])('%s: %s + %i → %s', (_case, date, n, expected) => {
        expect(addBusinessDays(date, n)).toBe(expected);
      });
    });

    describe('across year ends', () => {
      it.each([
        ['Christmas and Boxing Day on a weekend, then New Year on a Saturday', '2021-12-24', 5, '2022-01-05'],
        ['the last business day of 2021 into a New Year observed on Monday 3', '2021-12-31', 1, '2022-01-04'],
        ['Christmas on a Sunday observed on Tuesday 27', '2022-12-23', 5, '2023-01-04'],
        ['Boxing Day on a Saturday observed on Monday 28', '2026-12-24', 5, '2027-01-05'],
        ['a 25-day clock over the holidays of 2024-25', '2024-12-20', 25, '2025-01-29'],
        ['a 25-day clock over the holidays of 2025-26', '2025-12-19', 25, '2026-01-28'],
        ['a 25-day clock over the holidays of 2021-22', '2021-12-24', 25, '2022-02-02'],
      ])('%s: %s + %i → %s', (_case, date, n, expected) => {
        expect(addBusinessDays(date, n)).toBe(expected);
      });
    });

    it('always lands on a business day, exactly n business days later (2020–2030)', () => {
      for (let day = '2020-01-01'; day <= '2030-12-31'; day = addDays(day, 1)) {
        for (const n of [1, 5, 25]) {
          const due = addBusinessDays(day, n);
          expect(isBusinessDay(due)).toBe(true);
          expect(businessDaysBetween(day, due)).toBe(n);
          expect(businessDaysBetween(day, addDays(due, -1))).toBe(n - 1);
        }
      }
    });

    it('refuses negative and fractional counts', () => {
      expect(() => addBusinessDays('2024-06-03', -1)).toThrow(RangeError);
      expect(() => addBusinessDays('2024-06-03', 1.5)).toThrow(RangeError);
      expect(() => addBusinessDays('2024-06-31', 1)).toThrow(RangeError);
    });
  });

  describe('counting business days between two dates', () => {
    it('counts the days after the first date up to and including the second', () => {
      expect(businessDaysBetween('2024-06-05', '2024-06-05')).toBe(0);
      expect(businessDaysBetween('2024-06-07', '2024-06-10')).toBe(1); // Friday → Monday
      expect(businessDaysBetween('2024-06-08', '2024-06-09')).toBe(0); // Saturday → Sunday
      expect(businessDaysBetween('2024-06-08', '2024-06-10')).toBe(1); // Saturday → Monday
      expect(businessDaysBetween('2024-06-03', '2024-06-10')).toBe(5);
    });

    it('leaves out observed holidays, across a year end', () => {
      expect(businessDaysBetween('2021-12-24', '2021-12-31')).toBe(3); // 27 and 28 observed
      expect(businessDaysBetween('2021-12-24', '2022-01-04')).toBe(4); // 3 January observed
    });

    it.each([
      [253, 2020],
      [252, 2021],
      [251, 2022],
      [251, 2023],
      [253, 2024],
      [252, 2025],
      [252, 2026],
      [252, 2027],
      [251, 2028],
      [252, 2029],
      [252, 2030],
    ])('counts %i business days in %i', (count, year) => {
      expect(businessDaysBetween(`${year - 1}-12-31`, `${year}-12-31`)).toBe(count);
    });

    it('agrees with counting day by day from 2019 to 2031', () => {
      const start = '2019-12-31';
      let count = 0;
      for (let day = '2020-01-01'; day <= '2031-01-10'; day = addDays(day, 1)) {
        if (isBusinessDay(day)) count++;
        expect(businessDaysBetween(start, day)).toBe(count);
      }
    });

    it('counts backwards as a negative number, so counts over adjoining ranges add up', () => {
      expect(businessDaysBetween('2024-06-10', '2024-06-03')).toBe(-5);
      const [a, b, c] = ['2021-11-15', '2022-01-04', '2021-12-24'];
      expect(businessDaysBetween(a, b) + businessDaysBetween(b, c)).toBe(businessDaysBetween(a, c));
    });

    it('refuses strings that are not calendar dates', () => {
      expect(() => businessDaysBetween('2024-06-03', '2024/06/10')).toThrow(RangeError);
    });
  });
});
