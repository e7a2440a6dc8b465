export { ROLES, PUBLIC_PRINCIPAL, principalFromClaims, type Principal, type Role } from './principal';
export {
  signPrincipalHeader,
  verifyPrincipalHeader,
  PRINCIPAL_HEADER,
  type SignedPrincipal,
} from './internal-header';
export { createJwtVerifier, mintToken, type JwtSettings, type JwtVerifier } from './jwt';
export { ensureDevKeys, type DevKeys } from './dev-keys';
export { AuthError } from './auth-error';
