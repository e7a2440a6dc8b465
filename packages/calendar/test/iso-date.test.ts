import { addDays, addMonths, isIsoDate, todayInOntario } from '../src';

describe('ISO dates', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-13-01')).toBe(false);
    expect(isIsoDate('2023-1-01')).toBe(false);
    expect(isIsoDate('2023-01-01T00:00:00Z')).toBe(false);
    expect(isIsoDate(20230101)).toBe(false);
  });

  it('tells the Ontario date, not the UTC one', () => {
    // 03:00 UTC on 1 April is still 31 March in Toronto (EDT, UTC-4).
    expect(todayInOntario(new Date('2024-04-01T03:00:00Z'))).toBe('2024-03-31');
    expect(todayInOntario(new Date('2024-04-01T05:00:00Z'))).toBe('2024-04-01');
  });

  it('adds months, clamping to the end of shorter months', () => {
    expect(addMonths('2024-01-01', -8)).toBe('2023-05-01');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
  });
});

describe('adding days', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
  });
});
