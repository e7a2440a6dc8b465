import { addDays, addMonths, isIsoDate, parseIsoInstant, todayInOntario } from '../src';

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

describe('RFC 3339 instants', () => {
  it('reads a date-time with seconds and an offset, fractions optional', () => {
    expect(parseIsoInstant('2026-12-01T14:30:00Z')?.toISOString()).toBe('2026-12-01T14:30:00.000Z');
    expect(parseIsoInstant('2026-12-01T09:30:00.25-05:00')?.toISOString()).toBe('2026-12-01T14:30:00.250Z');
    expect(parseIsoInstant('2026-12-01t14:30:00z')?.toISOString()).toBe('2026-12-01T14:30:00.000Z');
    expect(parseIsoInstant('2024-02-29T23:59:59+14:00')?.toISOString()).toBe('2024-02-29T09:59:59.000Z');
  });

  it('refuses what Date would guess at', () => {
    for (const value of [
      '1', // Date reads 2001-01-01
      'March 7, 2024',
      '2026-12-01', // a date, not an instant
      '2026-12-01T14:30:00', // no offset: the server's zone would decide
      '2026-12-01T14:30Z', // no seconds
      '2023-02-30T00:00:00Z', // Date rolls it to 2 March
      '2026-12-01T24:00:00Z',
      '2026-12-01T14:30:00+24:00',
      ' 2026-12-01T14:30:00Z',
      '2026-12-01T14:30:00.Z',
      1733063400000,
      null,
    ])
      expect(parseIsoInstant(value)).toBeNull();
  });
});

describe('adding days', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
  });
});
