import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureDevKeys,
  mintToken,
  type DevKeys,
  type Principal,
  type Role,
  type TokenTimes,
} from '@ies/auth';

export interface TestAuth {
  keys: DevKeys;
  settings: { issuer: string; audience: string };
  internalSecret: string;
  /** A bearer token for a principal of the given role and scope (8 h of life, or the times given). */
  token(role: Role, scope?: Partial<Omit<Principal, 'role'>>, times?: TokenTimes): Promise<string>;
}

/** A key pair and internal secret of the test file's own. */
export async function testAuth(): Promise<TestAuth> {
  const keys = await ensureDevKeys(mkdtempSync(join(tmpdir(), 'ies-test-keys-')));
  const settings = { issuer: 'ies-test', audience: 'ies-api' };
  return {
    keys,
    settings,
    internalSecret: `test-internal-secret-${crypto.randomUUID()}`,
    token: (role, scope = {}, times) =>
      mintToken(
        keys.privateKeyPem,
        settings,
        {
          subject: scope.subject ?? `test-${role.toLowerCase()}`,
          role,
          catchmentIds: scope.catchmentIds ?? [],
          providerIds: scope.providerIds ?? [],
          partnerId: scope.partnerId ?? null,
        },
        times,
      ),
  };
}
