import { SignJWT, errors, importPKCS8, importSPKI, jwtVerify, type JWTPayload } from 'jose';
import { AuthError } from './auth-error';
import { principalFromClaims, type Principal } from './principal';

export interface JwtSettings {
  issuer: string;
  audience: string;
}

export interface JwtLimits {
  /** Longest lifetime accepted: `exp - iat`, or `exp - now` for a token without `iat` (default 12 h). */
  maxLifetimeSeconds?: number;
  /** How far the identity provider's clock may be ahead of or behind ours (default 60 s). */
  clockSkewSeconds?: number;
}

export const JWT_LIMIT_DEFAULTS = { maxLifetimeSeconds: 12 * 3600, clockSkewSeconds: 60 } as const;

export interface JwtVerifier {
  verify(token: string): Promise<Principal>;
}

const ALGORITHM = 'ES256';

/**
 * Checks what jose leaves to us: the token must expire (`exp` is required), must not be issued in the
 * future beyond the skew, and must not live longer than allowed, so a leaked token is not good forever.
 */
function checkLifetime(payload: JWTPayload, limits: Required<JwtLimits>, now: number): void {
  const { iat, exp } = payload;
  if (typeof exp !== 'number') throw new AuthError('invalid token: the "exp" claim is required');
  if (typeof iat === 'number' && iat > now + limits.clockSkewSeconds) {
    throw new AuthError('invalid token: issued in the future ("iat")');
  }
  const lifetime = exp - (typeof iat === 'number' ? iat : now);
  if (lifetime > limits.maxLifetimeSeconds) {
    throw new AuthError(
      `invalid token: its lifetime (${lifetime} s) is longer than the ${limits.maxLifetimeSeconds} s allowed`,
    );
  }
}

/**
 * Verifies bearer tokens at the edge against the configured public key, issuer and audience, with a
 * required expiry, a bounded lifetime and a small clock skew.
 */
export async function createJwtVerifier(
  publicKeyPem: string,
  settings: JwtSettings & JwtLimits,
): Promise<JwtVerifier> {
  const key = await importSPKI(publicKeyPem, ALGORITHM);
  const limits: Required<JwtLimits> = {
    maxLifetimeSeconds: settings.maxLifetimeSeconds ?? JWT_LIMIT_DEFAULTS.maxLifetimeSeconds,
    clockSkewSeconds: settings.clockSkewSeconds ?? JWT_LIMIT_DEFAULTS.clockSkewSeconds,
  };
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: [ALGORITHM],
          requiredClaims: ['exp'],
          clockTolerance: limits.clockSkewSeconds,
        });
        checkLifetime(payload, limits, Math.floor(Date.now() / 1000));
        return principalFromClaims(payload as Record<string, unknown>);
      } catch (error) {
        if (error instanceof AuthError) throw error;
        if (error instanceof errors.JWTClaimValidationFailed) {
          throw new AuthError(`invalid token: ${error.code} (${error.claim}: ${error.reason})`);
        }
        if (error instanceof errors.JOSEError) throw new AuthError(`invalid token: ${error.code}`);
        throw new AuthError('invalid token');
      }
    },
  };
}

/** Explicit times of a minted token, in seconds since the epoch (default: now, 8 h); null mints none. */
export interface TokenTimes {
  issuedAt?: number | null;
  expiresAt?: number | null;
}

/**
 * Mints a token for a principal (development and tests; production tokens come from the identity
 * provider). `lifetime` is a jose duration (`8h`) from now, or explicit times (tests of refusals).
 */
export async function mintToken(
  privateKeyPem: string,
  settings: JwtSettings,
  principal: Principal,
  lifetime: string | TokenTimes = '8h',
): Promise<string> {
  const key = await importPKCS8(privateKeyPem, ALGORITHM);
  const claims: Record<string, unknown> = { role: principal.role };
  if (principal.catchmentIds.length) claims.catchments = principal.catchmentIds;
  if (principal.providerIds.length) claims.providers = principal.providerIds;
  if (principal.partnerId) claims.partner = principal.partnerId;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(principal.subject)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience);
  if (typeof lifetime === 'string') return jwt.setIssuedAt().setExpirationTime(lifetime).sign(key);
  if (lifetime.issuedAt !== null) jwt.setIssuedAt(lifetime.issuedAt);
  if (lifetime.expiresAt !== null) jwt.setExpirationTime(lifetime.expiresAt ?? '8h');
  return jwt.sign(key);
}
