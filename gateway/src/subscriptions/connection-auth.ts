import { AuthError, PUBLIC_PRINCIPAL, type JwtVerifier, type Principal } from '@ies/auth';

export type ConnectionAuth =
  | {
      accepted: true;
      principal: Principal;
      /** ms since the epoch; null for PUBLIC */ expiresAt: number | null;
    }
  | { accepted: false; reason: string };

/**
 * The principal of a graphql-ws connection, from the same JWT as over HTTP, sent in `connection_init`
 * as `{ "authorization": "Bearer <token>" }`. No authorization is PUBLIC; anything else that is not a
 * valid token is refused (the socket closes with 4403).
 */
export async function authenticateConnection(
  params: Readonly<Record<string, unknown>> | undefined,
  verifier: JwtVerifier,
): Promise<ConnectionAuth> {
  const key = Object.keys(params ?? {}).find((k) => k.toLowerCase() === 'authorization');
  const authorization = key === undefined ? undefined : params![key];
  if (authorization === undefined || authorization === null) {
    return { accepted: true, principal: PUBLIC_PRINCIPAL, expiresAt: null };
  }
  if (typeof authorization !== 'string') return { accepted: false, reason: 'authorization must be a string' };
  const [scheme, token, ...rest] = authorization.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
    return { accepted: false, reason: 'authorization must be "Bearer <token>"' };
  }
  try {
    const principal = await verifier.verify(token);
    return { accepted: true, principal, expiresAt: expiryOf(token) };
  } catch (error) {
    if (error instanceof AuthError) return { accepted: false, reason: error.message };
    throw error;
  }
}

/** `exp` of a token the verifier accepted (it requires one), in ms. */
function expiryOf(token: string): number | null {
  const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
  const exp = (payload as { exp?: unknown }).exp;
  return typeof exp === 'number' ? exp * 1000 : null;
}
