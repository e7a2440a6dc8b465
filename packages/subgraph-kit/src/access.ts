import type { Principal, Role } from '@ies/auth';
import { forbidden } from './errors';

export const hasRole = (principal: Principal, ...roles: Role[]) => roles.includes(principal.role);

/** Throws FORBIDDEN unless the principal holds one of the roles. */
export function requireRole(principal: Principal, roles: Role[], action: string): void {
  if (!roles.includes(principal.role)) {
    throw forbidden(`${action} requires role ${roles.join(' or ')}; caller is ${principal.role}`);
  }
}
