import { AuthError } from './auth-error';

export const ROLES = ['MINISTRY', 'SSM', 'PROVIDER', 'PARTNER', 'PUBLIC'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, and the part of the system they may see. */
export interface Principal {
  subject: string;
  role: Role;
  /** Catchments an SSM (or a provider's SSM network) acts in. */
  catchmentIds: string[];
  /** Service providers a PROVIDER user belongs to. */
  providerIds: string[];
  /** The partner system a PARTNER token was issued to. */
  partnerId: string | null;
}

export const PUBLIC_PRINCIPAL: Principal = Object.freeze({
  subject: 'anonymous',
  role: 'PUBLIC',
  catchmentIds: [],
  providerIds: [],
  partnerId: null,
}) as Principal;

const stringList = (value: unknown, claim: string): string[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0)) {
    throw new AuthError(`claim "${claim}" must be a list of ids`);
  }
  return [...new Set(value as string[])];
};

/** Builds a principal from verified token claims, refusing claims that make no sense for the role. */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const role = claims.role;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new AuthError(`claim "role" must be one of ${ROLES.join(', ')}`);
  }
  const subject = claims.sub;
  if (typeof subject !== 'string' || subject.length === 0) throw new AuthError('claim "sub" is required');
  const principal: Principal = {
    subject,
    role: role as Role,
    catchmentIds: stringList(claims.catchments, 'catchments'),
    providerIds: stringList(claims.providers, 'providers'),
    partnerId: typeof claims.partner === 'string' && claims.partner ? claims.partner : null,
  };
  if (principal.role === 'SSM' && principal.catchmentIds.length === 0) {
    throw new AuthError('an SSM token must name at least one catchment');
  }
  if (principal.role === 'PROVIDER' && principal.providerIds.length === 0) {
    throw new AuthError('a PROVIDER token must name at least one provider');
  }
  if (principal.role === 'PARTNER' && !principal.partnerId) {
    throw new AuthError('a PARTNER token must name its partner');
  }
  return principal;
}
