import {
  AuthError,
  InternalHeaderError,
  PUBLIC_PRINCIPAL,
  PrincipalHeaderVerifier,
  SeenIds,
  signPrincipalHeader,
  type InternalHeaderRefusal,
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
const body = JSON.stringify({ query: '{ catchmentAreas { totalCount } }' });
const T0 = Date.parse('2025-06-01T12:00:00Z');

/** A verifier for the `catchments` subgraph whose clock reads `clock.now`. */
const verifierAt = (clock: { now: number }, options: { seenIds?: SeenIds } = {}) =>
  new PrincipalHeaderVerifier({
    secret,
    audience: 'catchments',
    maxTtlMs: 5_000,
    clockSkewMs: 1_000,
    now: () => clock.now,
    ...options,
  });
const sign = (overrides: { audience?: string; body?: string; now?: number; ttlMs?: number } = {}) =>
  signPrincipalHeader(
    {
      principal: ssm,
      requestId: 'req-1',
      audience: overrides.audience ?? 'catchments',
      body: overrides.body ?? body,
    },
    secret,
    { now: overrides.now ?? T0, ttlMs: overrides.ttlMs ?? 5_000 },
  );
const refusal = async (promise: Promise<unknown>): Promise<InternalHeaderRefusal> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InternalHeaderError);
  expect(error).toBeInstanceOf(AuthError);
  return (error as InternalHeaderError).reason;
};

describe('internal principal header', () => {
  it('round-trips a principal and the request id', async () => {
    const verifier = verifierAt({ now: T0 + 10 });
    expect(await verifier.verify(sign(), body)).toEqual({
      principal: ssm,
      requestId: 'req-1',
      deadline: null,
    });
  });

  describe('the deadline of the work', () => {
    const signWithDeadline = (deadline: number) =>
      signPrincipalHeader(
        { principal: ssm, requestId: 'req-1', audience: 'catchments', body, deadline },
        secret,
        { now: T0, ttlMs: 5_000 },
      );

    it('carries the deadline the gateway signed', async () => {
      const verified = await verifierAt({ now: T0 }).verify(signWithDeadline(T0 + 30_000), body);
      expect(verified.deadline).toBe(T0 + 30_000);
    });

    it('cannot be moved: a header whose deadline was changed on the way is refused', async () => {
      const [version, claims, signature] = signWithDeadline(T0 + 1_000).split('.');
      const later = { ...JSON.parse(Buffer.from(claims!, 'base64url').toString()), dl: T0 + 3_600_000 };
      const forged = `${version}.${Buffer.from(JSON.stringify(later)).toString('base64url')}.${signature}`;
      expect(await refusal(verifierAt({ now: T0 }).verify(forged, body))).toBe('BAD_SIGNATURE');
    });

    it('refuses a signed deadline that is not a time', async () => {
      const header = signPrincipalHeader(
        { principal: ssm, requestId: 'r', audience: 'catchments', body, deadline: 1.5 },
        secret,
        { now: T0 },
      );
      expect(await refusal(verifierAt({ now: T0 }).verify(header, body))).toBe('MALFORMED');
    });
  });

  it('refuses a header signed with another secret', async () => {
    const header = signPrincipalHeader(
      { principal: ssm, requestId: 'r', audience: 'catchments', body },
      'x'.repeat(40),
      { now: T0 },
    );
    expect(await refusal(verifierAt({ now: T0 }).verify(header, body))).toBe('BAD_SIGNATURE');
  });

  it('refuses a header whose body was altered to claim another role', async () => {
    const [version, , signature] = sign().split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'x', role: 'MINISTRY', iat: T0 })).toString('base64url');
    expect(await refusal(verifierAt({ now: T0 }).verify(`${version}.${forged}.${signature}`, body))).toBe(
      'BAD_SIGNATURE',
    );
  });

  it('refuses a missing or malformed header, and the old unbound format', async () => {
    const verifier = verifierAt({ now: T0 });
    expect(await refusal(verifier.verify(undefined, body))).toBe('MISSING');
    expect(await refusal(verifier.verify('garbage', body))).toBe('MALFORMED');
    expect(await refusal(verifier.verify(`v1.${sign().split('.').slice(1).join('.')}`, body))).toBe(
      'MALFORMED',
    );
  });

  describe('bound to one request', () => {
    it('is good once: the same header and body again is a replay', async () => {
      const verifier = verifierAt({ now: T0 + 10 });
      const header = sign();
      await verifier.verify(header, body);
      expect(await refusal(verifier.verify(header, body))).toBe('REPLAYED');
    });

    it('is refused with any other body', async () => {
      const other = JSON.stringify({ query: 'mutation { registerServiceSystemManager { ok } }' });
      expect(await refusal(verifierAt({ now: T0 }).verify(sign(), other))).toBe('BODY_MISMATCH');
      // Not even the same JSON written differently: the digest is of the bytes.
      expect(await refusal(verifierAt({ now: T0 }).verify(sign(), ` ${body}`))).toBe('BODY_MISMATCH');
    });

    it('is refused by another subgraph', async () => {
      expect(await refusal(verifierAt({ now: T0 }).verify(sign({ audience: 'contracts' }), body))).toBe(
        'WRONG_AUDIENCE',
      );
    });

    it('is refused once it has expired, and before it is issued beyond the clock skew', async () => {
      const header = sign();
      expect(await refusal(verifierAt({ now: T0 + 5_000 }).verify(header, body))).toBe('EXPIRED');
      expect(await refusal(verifierAt({ now: T0 - 1_001 }).verify(header, body))).toBe('NOT_YET_VALID');
      // Within the skew and the lifetime it is good.
      await verifierAt({ now: T0 - 1_000 }).verify(sign(), body);
      await verifierAt({ now: T0 + 4_999 }).verify(sign(), body);
    });

    it('is refused when signed for longer than the verifier allows', async () => {
      expect(await refusal(verifierAt({ now: T0 }).verify(sign({ ttlMs: 60_000 }), body))).toBe(
        'LIFETIME_TOO_LONG',
      );
    });
  });

  describe('the set of used ids', () => {
    it('forgets an id once its header has expired, keeping what it holds bounded', async () => {
      const seenIds = new SeenIds(2);
      const clock = { now: T0 };
      const verifier = verifierAt(clock, { seenIds });
      await verifier.verify(sign(), body);
      await verifier.verify(sign(), body);
      // Full of live ids: a third is refused rather than an id forgotten while it could be replayed.
      expect(await refusal(verifier.verify(sign(), body))).toBe('REPLAY_GUARD_FULL');
      clock.now = T0 + 5_000;
      await verifier.verify(sign({ now: clock.now }), body);
      expect(seenIds.size).toBe(1);
    });
  });

  it('carries PUBLIC as any other principal', async () => {
    const header = signPrincipalHeader(
      { principal: PUBLIC_PRINCIPAL, requestId: 'r', audience: 'catchments', body },
      secret,
      { now: T0 },
    );
    expect((await verifierAt({ now: T0 }).verify(header, body)).principal).toEqual(PUBLIC_PRINCIPAL);
  });
});
