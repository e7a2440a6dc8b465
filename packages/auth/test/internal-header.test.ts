import {
  AuthError,
  PUBLIC_PRINCIPAL,
  signPrincipalHeader,
  verifyPrincipalHeader,
  type Principal,
} from '../src';

const secret = 's'.repeat(40);
const ssm: Principal = {
  subject: 'ssm-user-1',
  role: 'SSM',
  catchmentIds: ['peel'],
  providerIds: [],
  partnerId: null,
};

describe('internal principal header', () => {
  it('round-trips a principal and the request id', () => {
    const header = signPrincipalHeader(ssm, 'req-1', secret);
    expect(verifyPrincipalHeader(header, secret)).toEqual({ principal: ssm, requestId: 'req-1' });
  });

  it('refuses a header signed with another secret', () => {
    const header = signPrincipalHeader(ssm, 'req-1', 'x'.repeat(40));
    expect(() => verifyPrincipalHeader(header, secret)).toThrow(/invalid x-ies-principal signature/);
  });

  it('refuses a header whose body was altered to claim another role', () => {
    const [version, , signature] = signPrincipalHeader(PUBLIC_PRINCIPAL, 'req-1', secret).split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'x', role: 'MINISTRY', iat: Date.now() / 1000 }),
    ).toString('base64url');
    expect(() => verifyPrincipalHeader(`${version}.${forged}.${signature}`, secret)).toThrow(AuthError);
  });

  it('refuses a missing, malformed or stale header', () => {
    expect(() => verifyPrincipalHeader(undefined, secret)).toThrow(/missing/);
    expect(() => verifyPrincipalHeader('garbage', secret)).toThrow(/malformed/);
    const old = signPrincipalHeader(ssm, 'req-1', secret, new Date('2020-01-01T00:00:00Z'));
    expect(() => verifyPrincipalHeader(old, secret)).toThrow(/expired/);
  });
});
