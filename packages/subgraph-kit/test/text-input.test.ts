import { hasForbiddenCharacters, validateReason, validateText } from '../src';

describe('Names and free text', () => {
  it('accept the names people write, in French and English, and Indigenous syllabics', () => {
    for (const name of [
      'Northeast / Nord-Est',
      'Collège Boréal',
      "L'Équipe d'emploi — Sudbury",
      'ᐊᑕᐑᐢᑲᐧᐱᐢᑲᐤ Attawapiskat',
      'Six Nations of the Grand River 🪶',
    ]) {
      expect(hasForbiddenCharacters(name, 'name')).toBe(false);
    }
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['escape (terminal sequences)', '\u001b[31mred'],
    ['bell', 'a\u0007'],
    ['carriage return', 'Approved\rRejected'],
    ['delete', 'a\u007f'],
    ['a C1 control', 'a\u009b31m'],
    ['a right-to-left override', 'abc\u202edef'],
    ['a bidirectional isolate', 'abc\u2066def'],
  ])('refuse %s in names and in free text', (_what, value) => {
    expect(hasForbiddenCharacters(value, 'name')).toBe(true);
    expect(hasForbiddenCharacters(value, 'text')).toBe(true);
  });

  it('let free text break lines and indent, but not names', () => {
    expect(hasForbiddenCharacters('Rebalance:\n\t- caseload up', 'text')).toBe(false);
    expect(hasForbiddenCharacters('Line\nBreak', 'name')).toBe(true);
    expect(validateText('Tab\tName', 'input.name', 'A name', 'name')).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'input.name',
    });
  });

  it('make a reason with a control character a VALIDATION_FAILED on input.reason', () => {
    expect(validateReason('Because\u0000')).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'input.reason',
    });
    expect(validateReason('Because\n')).toBeNull();
  });
});
