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
});
