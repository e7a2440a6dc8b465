import type { Principal } from '@ies/auth';
import { mutationError, type MutationError } from '@ies/subgraph-kit';

/**
 * Who sees and changes what in the clients subgraph. Client data is personal information
 * (DOMAIN.md §3): only the serving provider, the SSM of the client's catchment and the ministry read
 * it. Read scopes are MongoDB filters, so lists, lookups and entity resolution never fetch what the
 * caller may not see; a single id is an equality (FerretDB pushes equality down to its indexes).
 *
 * - MINISTRY: every client and plan.
 * - SSM: clients and plans of its catchments (`principal.catchmentIds`).
 * - PROVIDER: clients it serves and its own plans (`principal.providerIds`).
 * - PARTNER, PUBLIC: no client or plan, ever; aggregates only (with small counts suppressed).
 */
export type ScopeFilter = Record<string, unknown>;

const oneOf = (field: string, values: readonly string[]): ScopeFilter =>
  values.length === 1 ? { [field]: values[0] } : { [field]: { $in: values } };

/** Clients and plans share one scope: both carry the serving catchment and provider. */
export function clientDataScope(principal: Principal): ScopeFilter | null {
  switch (principal.role) {
    case 'MINISTRY':
      return {};
    case 'SSM':
      return oneOf('catchmentId', principal.catchmentIds);
    case 'PROVIDER':
      return oneOf('providerId', principal.providerIds);
    default:
      return null;
  }
}

/** Whether the caller may see one client's or plan's data (the same rule as the scope filter). */
export function canSeeClientData(
  principal: Principal,
  record: { catchmentId: string; providerId: string },
): boolean {
  switch (principal.role) {
    case 'MINISTRY':
      return true;
    case 'SSM':
      return principal.catchmentIds.includes(record.catchmentId);
    case 'PROVIDER':
      return principal.providerIds.includes(record.providerId);
    default:
      return false;
  }
}

/** Whether every record behind an aggregate over these catchments is visible to the caller. */
export function canSeeAllRecordsOf(principal: Principal, catchmentIds: readonly string[]): boolean {
  if (principal.role === 'MINISTRY') return true;
  if (principal.role !== 'SSM' || catchmentIds.length === 0) return false;
  return catchmentIds.every((id) => principal.catchmentIds.includes(id));
}

/** Roles that never hold client data are refused before any read, so they learn nothing. */
export function refuseClientDataRole(principal: Principal, action: string): MutationError | null {
  return clientDataScope(principal) === null
    ? mutationError(
        'FORBIDDEN',
        `Only the serving provider, the catchment's SSM or the ministry may ${action}; caller is ${principal.role}`,
      )
    : null;
}

/**
 * Who may act for a client or plan served by (catchment, provider): the ministry, the SSM of that
 * catchment, or that provider. A record outside the caller's scope answers exactly like an unknown one
 * (NOT_FOUND), so ids reveal nothing.
 */
export function refuseOutOfScope(
  principal: Principal,
  record: { catchmentId: string; providerId: string },
  notFound: MutationError,
): MutationError | null {
  return canSeeClientData(principal, record) ? null : notFound;
}

/** Where a new client or plan may be served: the caller's own catchment or provider. */
export function refuseServingOutsideScope(
  principal: Principal,
  target: { catchmentId: string; providerId: string },
): MutationError | null {
  if (canSeeClientData(principal, target)) return null;
  return principal.role === 'SSM'
    ? mutationError(
        'FORBIDDEN',
        `An SSM may act only in its own catchments; ${target.catchmentId} is not one of them`,
        'input.catchmentId',
      )
    : mutationError(
        'FORBIDDEN',
        `A provider may serve clients only as itself; ${target.providerId} is not the caller's provider`,
        'input.providerId',
      );
}
