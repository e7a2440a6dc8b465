import { SignJWT, errors, importPKCS8, importSPKI, jwtVerify } from 'jose';
import { AuthError } from './auth-error';
import { principalFromClaims, type Principal } from './principal';

export interface JwtSettings {
  issuer: string;
  audience: string;
}

export interface JwtVerifier {
  verify(token: string): Promise<Principal>;
}

const ALGORITHM = 'ES256';

/** Verifies bearer tokens at the edge against the configured public key, issuer and audience. */
export async function createJwtVerifier(publicKeyPem: string, settings: JwtSettings): Promise<JwtVerifier> {
  const key = await importSPKI(publicKeyPem, ALGORITHM);
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: [ALGORITHM],
        });
        return principalFromClaims(payload as Record<string, unknown>);
      } catch (error) {
        if (error instanceof AuthError) throw error;
        if (error instanceof errors.JOSEError) throw new AuthError(`invalid token: ${error.code}`);
        throw new AuthError('invalid token');
      }
    },
  };
}

/** Mints a token for a principal (development and tests; production tokens come from the identity provider). */
export async function mintToken(
  privateKeyPem: string,
  settings: JwtSettings,
  principal: Principal,
  expiresIn: string = '8h',
): Promise<string> {
  const key = await importPKCS8(privateKeyPem, ALGORITHM);
  const claims: Record<string, unknown> = { role: principal.role };
  if (principal.catchmentIds.length) claims.catchments = principal.catchmentIds;
  if (principal.providerIds.length) claims.providers = principal.providerIds;
  if (principal.partnerId) claims.partner = principal.partnerId;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(principal.subject)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);
}
