import {
  addDays,
  dayOfWeek,
  easterSunday,
  isOntarioHoliday,
  ONTARIO_HOLIDAY_NAMES,
  ontarioStatutoryHolidays,
} from '../src';

/**
 * Each year's nine holidays in the order of ONTARIO_HOLIDAY_NAMES, as `date` or `date>observed` when a
 * weekend date is observed on a substitute day. Checked against the Ontario Public Service schedules
 * for the years they cover and an independent computation (Python's dateutil Easter) for the rest.
 */
const EXPECTED: Record<number, string> = {
  2020: '01-01 02-17 04-10 05-18 07-01 09-07 10-12 12-25 12-26>12-28',
  2021: '01-01 02-15 04-02 05-24 07-01 09-06 10-11 12-25>12-27 12-26>12-28',
  2022: '01-01>01-03 02-21 04-15 05-23 07-01 09-05 10-10 12-25>12-27 12-26',
  2023: '01-01>01-02 02-20 04-07 05-22 07-01>07-03 09-04 10-09 12-25 12-26',
  2024: '01-01 02-19 03-29 05-20 07-01 09-02 10-14 12-25 12-26',
  2025: '01-01 02-17 04-18 05-19 07-01 09-01 10-13 12-25 12-26',
  2026: '01-01 02-16 04-03 05-18 07-01 09-07 10-12 12-25 12-26>12-28',
  2027: '01-01 02-15 03-26 05-24 07-01 09-06 10-11 12-25>12-27 12-26>12-28',
  2028: '01-01>01-03 02-21 04-14 05-22 07-01>07-03 09-04 10-09 12-25 12-26',
  2029: '01-01 02-19 03-30 05-21 07-01>07-02 09-03 10-08 12-25 12-26',
  2030: '01-01 02-18 04-19 05-20 07-01 09-02 10-14 12-25 12-26',
};

function expectedHolidays(year: number) {
  return EXPECTED[year]!.split(' ').map((entry, i) => {
    const [date, observed = date] = entry.split('>') as [string, string?];
    return { name: ONTARIO_HOLIDAY_NAMES[i], date: `${year}-${date}`, observed: `${year}-${observed}` };
  });
}

const holiday = (year: number, name: string) => ontarioStatutoryHolidays(year).find((h) => h.name === name)!;

const isWeekend = (date: string) => dayOfWeek(date) === 0 || dayOfWeek(date) === 6;

describe('Ontario statutory holidays', () => {
  describe.each(Object.keys(EXPECTED).map(Number))('in %i', (year) => {
    it('lists the nine public holidays of the Employment Standards Act with the days they are observed', () => {
      expect(ontarioStatutoryHolidays(year)).toEqual(expectedHolidays(year));
    });

    it('observes every holiday on a distinct weekday of the same year', () => {
      const observed = ontarioStatutoryHolidays(year).map((h) => h.observed);
      expect(new Set(observed).size).toBe(observed.length);
      for (const day of observed) {
        expect(isWeekend(day)).toBe(false);
        expect(day.startsWith(`${year}-`)).toBe(true);
        expect(isOntarioHoliday(day)).toBe(true);
      }
    });
  });

  describe('Good Friday', () => {
    it('falls two days before Easter Sunday of the anonymous Gregorian computus', () => {
      expect(holiday(2024, 'Good Friday').date).toBe('2024-03-29');
      expect(holiday(2025, 'Good Friday').date).toBe('2025-04-18');
      expect(holiday(2026, 'Good Friday').date).toBe('2026-04-03');
    });

    it.each([
      [1583, '1583-04-10'],
      [1818, '1818-03-22'], // the earliest possible Easter
      [1943, '1943-04-25'], // the latest possible Easter
      [2000, '2000-04-23'],
      [2008, '2008-03-23'],
      [2019, '2019-04-21'],
      [2038, '2038-04-25'],
      [2285, '2285-03-22'],
      [2100, '2100-03-28'],
      [9999, '9999-03-28'],
    ])('puts Easter %i on %s', (year, date) => {
      expect(easterSunday(year)).toBe(date);
    });

    it('is a Friday between 20 March and 23 April in every year the calendar accepts', () => {
      for (let year = 1583; year <= 9999; year++) {
        const goodFriday = addDays(easterSunday(year), -2);
        expect(dayOfWeek(goodFriday)).toBe(5);
        const monthDay = goodFriday.slice(5);
        expect(monthDay >= '03-20' && monthDay <= '04-23').toBe(true);
      }
    });
  });

  describe('the Monday holidays', () => {
    it.each([
      ['Family Day', '02-15', '02-21'],
      ['Victoria Day', '05-18', '05-24'],
      ['Labour Day', '09-01', '09-07'],
      ['Thanksgiving Day', '10-08', '10-14'],
    ])('puts %s on a Monday between %s and %s, every year', (name, first, last) => {
      for (let year = 2008; year <= 2100; year++) {
        const { date, observed } = holiday(year, name);
        expect(dayOfWeek(date)).toBe(1);
        expect(observed).toBe(date);
        expect(date.slice(5) >= first && date.slice(5) <= last).toBe(true);
      }
    });

    it('puts Victoria Day on 24 May itself when that is a Monday', () => {
      expect(holiday(2021, 'Victoria Day').date).toBe('2021-05-24');
      expect(holiday(2027, 'Victoria Day').date).toBe('2027-05-24');
    });

    it('has no Family Day before 2008, when it was first held', () => {
      expect(ontarioStatutoryHolidays(2007).map((h) => h.name)).not.toContain('Family Day');
      expect(ontarioStatutoryHolidays(2007)).toHaveLength(8);
      expect(holiday(2008, 'Family Day').date).toBe('2008-02-18');
    });
  });

  describe('when a holiday falls on a weekend', () => {
    it('observes Canada Day on a Saturday on the Monday after', () => {
      expect(holiday(2023, 'Canada Day')).toEqual({
        name: 'Canada Day',
        date: '2023-07-01',
        observed: '2023-07-03',
      });
      expect(isOntarioHoliday('2023-07-03')).toBe(true);
      expect(isOntarioHoliday('2023-07-01')).toBe(false);
    });

    it('observes Canada Day on a Sunday on the Monday after', () => {
      expect(holiday(2029, 'Canada Day').observed).toBe('2029-07-02');
    });

    it("observes New Year's Day on a Saturday on Monday 3 January", () => {
      expect(holiday(2022, "New Year's Day").observed).toBe('2022-01-03');
      expect(holiday(2023, "New Year's Day").observed).toBe('2023-01-02');
    });

    it('observes Christmas on a Saturday on Monday 27 and Boxing Day on a Sunday on Tuesday 28', () => {
      expect(holiday(2021, 'Christmas Day').observed).toBe('2021-12-27');
      expect(holiday(2021, 'Boxing Day').observed).toBe('2021-12-28');
    });

    it('observes Christmas on a Sunday on Tuesday 27, because Monday 26 is Boxing Day itself', () => {
      expect(holiday(2022, 'Boxing Day').observed).toBe('2022-12-26');
      expect(holiday(2022, 'Christmas Day').observed).toBe('2022-12-27');
    });

    it('observes Boxing Day on a Saturday on Monday 28, after a Friday Christmas', () => {
      expect(holiday(2020, 'Christmas Day').observed).toBe('2020-12-25');
      expect(holiday(2020, 'Boxing Day').observed).toBe('2020-12-28');
    });

    it('never observes two holidays on one day, over a whole 400-year Gregorian cycle', () => {
      for (let year = 2000; year < 2400; year++) {
        const observed = ontarioStatutoryHolidays(year).map((h) => h.observed);
        expect(new Set(observed).size).toBe(observed.length);
        expect(observed.every((day) => !isWeekend(day) && day.startsWith(`${year}-`))).toBe(true);
      }
    });
  });

  describe('days that are not statutory holidays in Ontario', () => {
    it.each([
      ['the Civic Holiday', '2024-08-05'],
      ['Easter Monday', '2024-04-01'],
      ['Remembrance Day', '2024-11-11'],
      ['the National Day for Truth and Reconciliation', '2024-09-30'],
      ['Saint-Jean-Baptiste Day', '2024-06-24'],
      ['Christmas Eve', '2024-12-24'],
    ])('does not treat %s (%s) as one', (_name, date) => {
      expect(isOntarioHoliday(date)).toBe(false);
    });
  });

  describe('inputs', () => {
    it('refuses years outside the Gregorian range it computes', () => {
      expect(() => ontarioStatutoryHolidays(1582)).toThrow(RangeError);
      expect(() => ontarioStatutoryHolidays(10000)).toThrow(RangeError);
      expect(() => ontarioStatutoryHolidays(2024.5)).toThrow(RangeError);
    });

    it('refuses strings that are not calendar dates', () => {
      expect(() => isOntarioHoliday('2024-02-30')).toThrow(RangeError);
      expect(() => isOntarioHoliday('2024-7-1')).toThrow(RangeError);
    });

    it('hands out copies, so a caller cannot change the holidays of the next caller', () => {
      const first = ontarioStatutoryHolidays(2024);
      first[0]!.observed = '2024-01-02';
      first.pop();
      expect(ontarioStatutoryHolidays(2024)).toEqual(expectedHolidays(2024));
    });
  });
});
