import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJwtVerifier, ensureDevKeys, mintToken, type Principal } from '../src';

const settings = { issuer: 'ies-dev', audience: 'ies-api' };

describe('JWT at the edge', () => {
  it('verifies a minted token into the same principal', async () => {
    const keys = await ensureDevKeys(mkdtempSync(join(tmpdir(), 'ies-keys-')));
    const principal: Principal = {
      subject: 'u1',
      role: 'PROVIDER',
      catchmentIds: ['york'],
      providerIds: ['prov-1'],
      partnerId: null,
    };
    const verifier = await createJwtVerifier(keys.publicKeyPem, settings);
    expect(await verifier.verify(await mintToken(keys.privateKeyPem, settings, principal))).toEqual(
      principal,
    );
  });

  it('refuses a token from another key or audience, and claims that do not fit the role', async () => {
    const keys = await ensureDevKeys(mkdtempSync(join(tmpdir(), 'ies-keys-')));
    const other = await ensureDevKeys(mkdtempSync(join(tmpdir(), 'ies-keys-')));
    const verifier = await createJwtVerifier(keys.publicKeyPem, settings);
    const ministry: Principal = {
      subject: 'm',
      role: 'MINISTRY',
      catchmentIds: [],
      providerIds: [],
      partnerId: null,
    };
    await expect(verifier.verify(await mintToken(other.privateKeyPem, settings, ministry))).rejects.toThrow(
      /invalid token/,
    );
    await expect(
      verifier.verify(await mintToken(keys.privateKeyPem, { ...settings, audience: 'other' }, ministry)),
    ).rejects.toThrow(/invalid token/);
    await expect(
      verifier.verify(await mintToken(keys.privateKeyPem, settings, { ...ministry, role: 'SSM' })),
    ).rejects.toThrow(/must name at least one catchment/);
  });

  describe('lifetime', () => {
    const limits = { ...settings, maxLifetimeSeconds: 12 * 3600, clockSkewSeconds: 60 };
    const now = () => Math.floor(Date.now() / 1000);
    const ministry: Principal = {
      subject: 'm',
      role: 'MINISTRY',
      catchmentIds: [],
      providerIds: [],
      partnerId: null,
    };
    const tokenWith = (privateKeyPem: string, times: { iat?: number; exp?: number }) =>
      mintToken(privateKeyPem, settings, ministry, {
        issuedAt: times.iat ?? null,
        expiresAt: times.exp ?? null,
      });

    it('refuses a token without exp, issued in the future beyond the skew, or living longer than allowed', async () => {
      const keys = await ensureDevKeys(mkdtempSync(join(tmpdir(), 'ies-keys-')));
      const verifier = await createJwtVerifier(keys.publicKeyPem, limits);
      const t = now();
      await expect(verifier.verify(await tokenWith(keys.privateKeyPem, { iat: t }))).rejects.toThrow(/exp/);
      await expect(
        verifier.verify(await tokenWith(keys.privateKeyPem, { iat: t + 3600, exp: t + 7200 })),
      ).rejects.toThrow(/issued in the future/);
      await expect(
        verifier.verify(await tokenWith(keys.privateKeyPem, { iat: t, exp: t + 13 * 3600 })),
      ).rejects.toThrow(/lifetime/);
      // Without iat, the lifetime is measured from now.
      await expect(
        verifier.verify(await tokenWith(keys.privateKeyPem, { exp: t + 13 * 3600 })),
      ).rejects.toThrow(/lifetime/);
    });

    it('accepts an issue time a little ahead of our clock, and the longest lifetime allowed', async () => {
      const keys = await ensureDevKeys(mkdtempSync(join(tmpdir(), 'ies-keys-')));
      const verifier = await createJwtVerifier(keys.publicKeyPem, limits);
      const t = now();
      const ahead = await tokenWith(keys.privateKeyPem, { iat: t + 20, exp: t + 3600 });
      expect((await verifier.verify(ahead)).role).toBe('MINISTRY');
      const longest = await tokenWith(keys.privateKeyPem, { iat: t, exp: t + 12 * 3600 });
      expect((await verifier.verify(longest)).role).toBe('MINISTRY');
    });
  });
});
