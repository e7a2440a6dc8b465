import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { AuthError } from './auth-error';
import { principalFromClaims, type Principal } from './principal';
import { SeenIds, type SeenIdStore } from './seen-ids';

/** The header in which the gateway forwards the caller's principal to subgraphs. */
export const PRINCIPAL_HEADER = 'x-ies-principal';

/** Defaults of the header's lifetime and of the clock skew a verifier tolerates (milliseconds). */
export const INTERNAL_HEADER_DEFAULTS = { ttlMs: 5_000, clockSkewMs: 1_000 } as const;

/** Why a principal header was refused: clients and logs branch on this, never on the message. */
export type InternalHeaderRefusal =
  | 'MISSING'
  | 'MALFORMED'
  | 'BAD_SIGNATURE'
  | 'WRONG_AUDIENCE'
  | 'BODY_MISMATCH'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'LIFETIME_TOO_LONG'
  | 'REPLAYED'
  | 'REPLAY_GUARD_FULL';

/** A principal header that cannot be trusted for this request, with the reason. */
export class InternalHeaderError extends AuthError {
  constructor(
    readonly reason: InternalHeaderRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'InternalHeaderError';
  }
}

export interface SignedPrincipal {
  principal: Principal;
  requestId: string;
  /** When the gateway stops waiting for this request (epoch milliseconds); null if it set none. */
  deadline: number | null;
}

/** What one header is signed for: one request of one caller to one subgraph. */
export interface InternalRequest {
  principal: Principal;
  requestId: string;
  /** The subgraph the request is sent to (its name in the service registry and the supergraph). */
  audience: string;
  /** The request body exactly as sent (a string is taken as UTF-8). */
  body: string | Uint8Array;
  /**
   * When the caller stops waiting (epoch milliseconds): the subgraph abandons the work after it. Signed
   * with the rest, so nobody on the way can extend it.
   */
  deadline?: number;
}

const VERSION = 'v2';

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

/** SHA-256 of a request body, base64url: what the header binds. */
export const bodyDigest = (body: string | Uint8Array): string =>
  createHash('sha256').update(body).digest('base64url');

/**
 * Signs the principal for one request with the internal secret: the target subgraph (`aud`), a digest
 * of the body (`bdh`), a lifetime (`iat`, `exp`, in milliseconds), a single-use id (`jti`) and, when
 * given, the deadline of the work it asks for (`dl`, epoch milliseconds). A header
 * captured on the way is then good for nothing but that request, once, for a few seconds.
 */
export function signPrincipalHeader(
  request: InternalRequest,
  secret: string,
  options: { ttlMs?: number; now?: number } = {},
): string {
  const { principal } = request;
  const iat = options.now ?? Date.now();
  const body = Buffer.from(
    JSON.stringify({
      sub: principal.subject,
      role: principal.role,
      catchments: principal.catchmentIds,
      providers: principal.providerIds,
      partner: principal.partnerId,
      rid: request.requestId,
      aud: request.audience,
      bdh: bodyDigest(request.body),
      iat,
      exp: iat + (options.ttlMs ?? INTERNAL_HEADER_DEFAULTS.ttlMs),
      jti: randomUUID(),
      ...(request.deadline === undefined ? {} : { dl: request.deadline }),
    }),
  ).toString('base64url');
  return `${VERSION}.${body}.${mac(secret, `${VERSION}.${body}`).toString('base64url')}`;
}

export interface PrincipalHeaderVerifierOptions {
  secret: string;
  /** This subgraph's name: headers signed for another are refused. */
  audience: string;
  /** Longest lifetime (`exp - iat`) accepted. */
  maxTtlMs?: number;
  /** How far in the future `iat` may be (the signer's clock ahead of ours). */
  clockSkewMs?: number;
  /** Where used ids are remembered until they expire (default: a bounded set in this process). */
  seenIds?: SeenIdStore;
  /** The clock, in milliseconds (tests). */
  now?: () => number;
}

function refuse(reason: InternalHeaderRefusal, message: string): never {
  throw new InternalHeaderError(reason, `${PRINCIPAL_HEADER}: ${message}`);
}

/** Reads and authenticates the header's claims; throws InternalHeaderError for anything not signed by us. */
function signedClaims(header: string | undefined, secret: string): Record<string, unknown> {
  if (!header) return refuse('MISSING', 'missing header');
  const [version, body, signature, ...rest] = header.split('.');
  if (version !== VERSION || !body || !signature || rest.length > 0) {
    return refuse('MALFORMED', 'malformed header');
  }
  const expected = mac(secret, `${version}.${body}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refuse('BAD_SIGNATURE', 'invalid signature');
  }
  try {
    const claims: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (typeof claims === 'object' && claims !== null && !Array.isArray(claims)) {
      return claims as Record<string, unknown>;
    }
  } catch {
    // refused below
  }
  return refuse('MALFORMED', 'malformed claims');
}

/**
 * A subgraph's check of the principal header of each request it receives: signed with the internal
 * secret, for this subgraph, for this exact body, issued no later than now (within the clock skew),
 * not expired, not longer-lived than allowed, and never seen before.
 */
export class PrincipalHeaderVerifier {
  private readonly maxTtlMs: number;
  private readonly clockSkewMs: number;
  private readonly seenIds: SeenIdStore;
  private readonly now: () => number;

  constructor(private readonly options: PrincipalHeaderVerifierOptions) {
    this.maxTtlMs = options.maxTtlMs ?? INTERNAL_HEADER_DEFAULTS.ttlMs;
    this.clockSkewMs = options.clockSkewMs ?? INTERNAL_HEADER_DEFAULTS.clockSkewMs;
    this.seenIds = options.seenIds ?? new SeenIds();
    this.now = options.now ?? Date.now;
  }

  /** The principal the header carries for this request; throws InternalHeaderError otherwise. */
  async verify(header: string | undefined, body: string | Uint8Array): Promise<SignedPrincipal> {
    const claims = signedClaims(header, this.options.secret);
    const { aud, bdh, iat, exp, jti, dl } = claims;
    if (typeof aud !== 'string' || typeof bdh !== 'string' || typeof jti !== 'string' || jti.length === 0) {
      refuse('MALFORMED', 'claims aud, bdh and jti are required');
    }
    if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp)) {
      refuse('MALFORMED', 'claims iat and exp are required');
    }
    if (dl !== undefined && !Number.isSafeInteger(dl))
      refuse('MALFORMED', 'claim dl must be epoch milliseconds');
    const issuedAt = iat as number;
    const expiresAt = exp as number;
    if (aud !== this.options.audience)
      refuse('WRONG_AUDIENCE', `signed for another service (${String(aud)})`);
    if (bdh !== bodyDigest(body)) refuse('BODY_MISMATCH', 'signed for another request body');
    const now = this.now();
    if (issuedAt > now + this.clockSkewMs) refuse('NOT_YET_VALID', 'issued in the future');
    if (expiresAt - issuedAt > this.maxTtlMs) refuse('LIFETIME_TOO_LONG', 'lifetime longer than allowed');
    if (now >= expiresAt) refuse('EXPIRED', 'expired');
    let principal: Principal;
    try {
      principal = principalFromClaims(claims);
    } catch (error) {
      return refuse('MALFORMED', error instanceof Error ? error.message : 'invalid principal');
    }
    const use = await this.seenIds.firstUse(jti as string, expiresAt, now);
    if (use === 'full') refuse('REPLAY_GUARD_FULL', 'too many requests in flight to remember them all');
    if (use === 'seen') refuse('REPLAYED', 'already used');
    return {
      principal,
      requestId: typeof claims.rid === 'string' ? claims.rid : '',
      deadline: dl === undefined ? null : (dl as number),
    };
  }
}
