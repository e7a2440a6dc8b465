import { resolveRequestId } from '../src';

describe('resolveRequestId', () => {
  it('keeps a well-formed incoming id', () => {
    expect(resolveRequestId('abc-123')).toBe('abc-123');
  });

  it('replaces a malformed or missing id with a fresh UUID', () => {
    const uuid = /^[0-9a-f-]{36}$/;
    expect(resolveRequestId('bad id with spaces\n')).toMatch(uuid);
    expect(resolveRequestId(undefined)).toMatch(uuid);
    expect(resolveRequestId('x'.repeat(500))).toMatch(uuid);
  });
});
