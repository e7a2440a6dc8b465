/**
 * Mints a development token signed with the locally generated key (the same key `npm start` gives the
 * gateway). Usage:
 *   npm run token -- --role MINISTRY
 *   npm run token -- --role SSM --catchment peel --catchment york
 *   npm run token -- --role PROVIDER --provider <providerId> --catchment york
 *   npm run token -- --role PARTNER --partner <partnerId>
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, ensureDevKeys, mintToken, principalFromClaims, type Role } from '../src';

async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      catchment: { type: 'string', multiple: true },
      provider: { type: 'string', multiple: true },
      partner: { type: 'string' },
      expires: { type: 'string', default: '8h' },
    },
  });
  const role = (values.role ?? '').toUpperCase() as Role;
  if (!ROLES.includes(role)) {
    console.error(`--role must be one of ${ROLES.join(', ')}`);
    process.exit(2);
  }
  const principal = principalFromClaims({
    sub: values.sub ?? `dev-${role.toLowerCase()}`,
    role,
    catchments: values.catchment,
    providers: values.provider,
    partner: values.partner,
  });
  const keysDir = process.env.IES_DEV_KEYS_DIR ?? resolve(__dirname, '../../../.data/dev-keys');
  const keys = await ensureDevKeys(keysDir);
  const settings = {
    issuer: process.env.JWT_ISSUER ?? 'ies-dev',
    audience: process.env.JWT_AUDIENCE ?? 'ies-api',
  };
  console.log(await mintToken(keys.privateKeyPem, settings, principal, values.expires));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
