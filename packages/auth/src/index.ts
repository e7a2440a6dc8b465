export { ROLES, PUBLIC_PRINCIPAL, principalFromClaims, type Principal, type Role } from './principal';
export {
  INTERNAL_HEADER_DEFAULTS,
  InternalHeaderError,
  PRINCIPAL_HEADER,
  PrincipalHeaderVerifier,
  bodyDigest,
  signPrincipalHeader,
  type InternalHeaderRefusal,
  type InternalRequest,
  type PrincipalHeaderVerifierOptions,
  type SignedPrincipal,
} from './internal-header';
export { SEEN_IDS_CAPACITY, SeenIds, type FirstUse, type SeenIdStore } from './seen-ids';
export {
  JWT_LIMIT_DEFAULTS,
  createJwtVerifier,
  mintToken,
  type JwtLimits,
  type JwtSettings,
  type JwtVerifier,
  type TokenTimes,
} from './jwt';
export { ensureDevKeys, type DevKeys } from './dev-keys';
export { AuthError } from './auth-error';
