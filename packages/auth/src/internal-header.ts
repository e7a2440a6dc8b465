import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthError } from './auth-error';
import { principalFromClaims, type Principal } from './principal';

/** The header in which the gateway forwards the caller's principal to subgraphs. */
export const PRINCIPAL_HEADER = 'x-ies-principal';

export interface SignedPrincipal {
  principal: Principal;
  requestId: string;
}

const VERSION = 'v1';

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

/**
 * Signs the principal and the request id with the gateway's internal secret. The signature covers an
 * issue time so a captured header is only good for a short while.
 */
export function signPrincipalHeader(
  principal: Principal,
  requestId: string,
  secret: string,
  now: Date = new Date(),
): string {
  const body = Buffer.from(
    JSON.stringify({
      sub: principal.subject,
      role: principal.role,
      catchments: principal.catchmentIds,
      providers: principal.providerIds,
      partner: principal.partnerId,
      rid: requestId,
      iat: Math.floor(now.getTime() / 1000),
    }),
  ).toString('base64url');
  return `${VERSION}.${body}.${mac(secret, `${VERSION}.${body}`).toString('base64url')}`;
}

/** Verifies a forwarded principal header; throws AuthError for anything not signed by the gateway. */
export function verifyPrincipalHeader(
  header: string | undefined,
  secret: string,
  options: { maxAgeSeconds?: number; now?: Date } = {},
): SignedPrincipal {
  if (!header) throw new AuthError(`missing ${PRINCIPAL_HEADER} header`);
  const [version, body, signature] = header.split('.');
  if (version !== VERSION || !body || !signature) throw new AuthError(`malformed ${PRINCIPAL_HEADER} header`);
  const expected = mac(secret, `${version}.${body}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AuthError(`invalid ${PRINCIPAL_HEADER} signature`);
  }
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new AuthError(`malformed ${PRINCIPAL_HEADER} body`);
  }
  const maxAge = options.maxAgeSeconds ?? 60;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (typeof claims.iat !== 'number' || Math.abs(now - claims.iat) > maxAge) {
    throw new AuthError(`expired ${PRINCIPAL_HEADER} header`);
  }
  return {
    principal: principalFromClaims(claims),
    requestId: typeof claims.rid === 'string' ? claims.rid : '',
  };
}
