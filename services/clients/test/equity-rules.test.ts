import {
  DEFAULT_YOUTH_AGE_RANGE,
  NOT_ASKED,
  ageOn,
  equityGroupsOf,
  equityOf,
  isYouth,
  normalizeName,
  usedPreferNotToAnswer,
  validateBirthDate,
  validateEquity,
  validateName,
  validateText,
} from '../src/client/equity';

describe('Client equity answers', () => {
  describe('when a client answers some questions', () => {
    it('leaves the questions not asked as null', () => {
      expect(equityOf({ indigenous: 'YES' })).toEqual({ ...NOT_ASKED, indigenous: 'YES' });
      expect(Object.values(NOT_ASKED).every((v) => v === null)).toBe(true);
    });

    it('accepts YES, NO, PREFER_NOT_TO_ANSWER and null for every field', () => {
      expect(
        validateEquity({
          indigenous: 'YES',
          francophone: 'NO',
          disability: 'PREFER_NOT_TO_ANSWER',
          newcomer: null,
        }),
      ).toBeNull();
      expect(validateEquity({})).toBeNull();
    });

    it('refuses an unknown answer, naming the field', () => {
      expect(validateEquity({ racialized: 'MAYBE' })).toEqual({
        code: 'VALIDATION_FAILED',
        message: 'An equity answer is YES, NO, PREFER_NOT_TO_ANSWER or not asked (null)',
        field: 'input.equity.racialized',
      });
      expect(validateEquity({ disability: true })?.field).toBe('input.equity.disability');
    });

    it('refuses a misspelt field instead of dropping it', () => {
      expect(validateEquity({ indigeneous: 'YES' })?.field).toBe('input.equity.indigeneous');
      expect(validateEquity(null)?.code).toBe('VALIDATION_FAILED');
      expect(validateEquity(['YES'])?.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('for reporting', () => {
    it('lists the groups answered YES, never those declined or not asked', () => {
      const equity = equityOf({ indigenous: 'YES', francophone: 'PREFER_NOT_TO_ANSWER', newcomer: 'YES' });
      expect(equityGroupsOf(equity)).toEqual(['indigenous', 'newcomer']);
    });

    it('tells whether "prefer not to answer" was used at least once', () => {
      expect(usedPreferNotToAnswer(equityOf({ racialized: 'PREFER_NOT_TO_ANSWER' }))).toBe(true);
      expect(usedPreferNotToAnswer(equityOf({ racialized: 'NO' }))).toBe(false);
    });
  });
});

describe('Age', () => {
  describe('on an ordinary birthday', () => {
    it('turns a year older on the birthday, not the day before', () => {
      expect(ageOn('2000-06-15', '2015-06-14')).toBe(14);
      expect(ageOn('2000-06-15', '2015-06-15')).toBe(15);
      expect(ageOn('2000-06-15', '2000-06-15')).toBe(0);
    });
  });

  describe('for someone born on 29 February', () => {
    it('has the birthday on 1 March in a common year', () => {
      expect(ageOn('2000-02-29', '2015-02-28')).toBe(14);
      expect(ageOn('2000-02-29', '2015-03-01')).toBe(15);
    });

    it('has the birthday on 29 February in a leap year', () => {
      expect(ageOn('2000-02-29', '2016-02-28')).toBe(15);
      expect(ageOn('2000-02-29', '2016-02-29')).toBe(16);
    });
  });

  it('refuses dates that are not real, and a date before birth', () => {
    expect(() => ageOn('2001-02-29', '2020-01-01')).toThrow(RangeError);
    expect(() => ageOn('2000-01-01', '1999-12-31')).toThrow('before the birth date');
  });
});

describe('Youth', () => {
  it('is 15 to 29 inclusive by default', () => {
    expect(DEFAULT_YOUTH_AGE_RANGE).toEqual({ minAge: 15, maxAge: 29 });
    expect(isYouth('2009-05-10', '2024-05-09')).toBe(false); // 14
    expect(isYouth('2009-05-10', '2024-05-10')).toBe(true); // 15 today
    expect(isYouth('1995-05-10', '2025-05-09')).toBe(true); // 29 until the day before turning 30
    expect(isYouth('1995-05-10', '2025-05-10')).toBe(false); // 30
  });

  it('follows the leap-day birthday rule at both ends of the range', () => {
    expect(isYouth('2008-02-29', '2023-02-28')).toBe(false);
    expect(isYouth('2008-02-29', '2023-03-01')).toBe(true);
    expect(isYouth('1996-02-29', '2026-02-28')).toBe(true); // still 29
    expect(isYouth('1996-02-29', '2026-03-01')).toBe(false); // 30
  });

  it('takes another range when a program or report has one', () => {
    expect(isYouth('2000-01-01', '2025-06-01', { minAge: 18, maxAge: 24 })).toBe(false);
    expect(isYouth('2003-01-01', '2025-06-01', { minAge: 18, maxAge: 24 })).toBe(true);
    expect(() => isYouth('2003-01-01', '2025-06-01', { minAge: 30, maxAge: 15 })).toThrow(RangeError);
  });
});

describe('Birth dates', () => {
  const today = '2025-06-15';

  it('accepts ages 14 to 120 on the given date, both ends included', () => {
    expect(validateBirthDate('2011-06-15', today)).toBeNull(); // 14 today
    expect(validateBirthDate('1905-06-16', today)).toBeNull(); // 119, turning 120 tomorrow
    expect(validateBirthDate('1904-06-16', today)).toBeNull(); // 120
  });

  it('refuses a client younger than 14 or older than 120, saying the age', () => {
    expect(validateBirthDate('2011-06-16', today)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'The birth date 2011-06-16 makes the client 13 on 2025-06-15; clients are 14 to 120',
      field: 'input.birthDate',
    });
    expect(validateBirthDate('1904-06-15', today)?.message).toContain('makes the client 121');
  });

  it('refuses a date in the future and dates that do not exist', () => {
    expect(validateBirthDate('2025-06-16', today)?.message).toBe(
      'The birth date 2025-06-16 is after 2025-06-15',
    );
    for (const bad of ['2001-02-29', '2000-13-01', '15/06/2000', '', null, 20000615])
      expect(validateBirthDate(bad, today, 'input.client.birthDate')).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'input.client.birthDate',
      });
  });

  it('accepts a leap-day birth date', () => {
    expect(validateBirthDate('2000-02-29', today)).toBeNull();
  });
});

describe('Names', () => {
  it('accepts names in any script, with accents, apostrophes and hyphens', () => {
    for (const name of ['Anne-Marie Côté', "O'Neil", 'ᐊᓂᔑᓈᐯ', 'Nguyễn Thị', 'X']) {
      expect(validateName(name, 'input.givenName')).toBeNull();
    }
  });

  it('is measured once trimmed: 1 to 100 characters', () => {
    expect(validateName('a'.repeat(100), 'input.familyName')).toBeNull();
    expect(validateName(`  ${'a'.repeat(100)}  `, 'input.familyName')).toBeNull();
    expect(validateName('a'.repeat(101), 'input.familyName')).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'A name must be 1–100 characters long',
      field: 'input.familyName',
    });
    expect(validateName('   ', 'input.familyName')?.message).toBe('A name is required');
    expect(validateName('', 'input.familyName')?.message).toBe('A name is required');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validateName('𝒜'.repeat(100), 'input.givenName')).toBeNull();
    expect(validateName('𝒜'.repeat(101), 'input.givenName')).not.toBeNull();
  });

  it('refuses control, NUL and escape characters, line breaks and tabs inside the name', () => {
    for (const name of ['Ann\u0000', 'Ann\u001b[31m', 'An\nn', 'An\tn', 'Ann\u007f', 'Ann\u0085']) {
      expect(validateName(name, 'input.givenName')?.message).toContain('control');
    }
  });

  it('refuses text-direction overrides and broken surrogates', () => {
    expect(validateName('Ann\u202egnp.exe', 'input.givenName')).not.toBeNull();
    expect(validateName('Ann\ud800', 'input.givenName')).not.toBeNull();
  });

  it('refuses a huge string before normalizing it, and anything not text', () => {
    expect(validateName(' '.repeat(1_000_000), 'input.givenName')?.message).toContain('1–100');
    expect(validateName(42, 'input.givenName')?.message).toBe('A name must be text');
  });

  it('stores the trimmed, NFC form with single spaces', () => {
    expect(normalizeName('  Anne   Marie\u00a0Co\u0302te\u0301  ')).toBe('Anne Marie Côté');
  });
});

describe('Free text', () => {
  it('allows line breaks and tabs where text is multi-line, but still no control characters', () => {
    const limits = { min: 0, max: 50, multiline: true };
    expect(validateText('Line one\r\nLine two\n\tindented', 'input.note', 'A note', limits)).toBeNull();
    expect(validateText('Bell\u0007', 'input.note', 'A note', limits)?.message).toBe(
      'A note contains a control or invisible formatting character',
    );
    expect(validateText('', 'input.note', 'A note', limits)).toBeNull();
  });
});
