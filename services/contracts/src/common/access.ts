import type { Principal } from '@ies/auth';
import { mutationError, type MutationError } from '@ies/subgraph-kit';

/**
 * Who sees and changes what in the contracts subgraph. Read scopes are MongoDB filters so that list
 * queries and entity lookups never fetch what the caller may not see.
 *
 * - MINISTRY: everything.
 * - SSM: agreements of its own catchments (`principal.catchmentIds`); funding of its own contracts.
 * - PROVIDER: its own agreements (`principal.providerIds`); contracts without funding.
 * - PARTNER, PUBLIC: contracts without funding figures or amendment history, and no provider
 *   agreements (otherwise "a provider sees only its own agreements" could be sidestepped by calling
 *   without a token).
 * Service providers, their sites and programs are a public directory.
 */
export type ScopeFilter = Record<string, unknown>;

export function agreementReadScope(principal: Principal): ScopeFilter {
  switch (principal.role) {
    case 'SSM':
      return { catchmentId: { $in: principal.catchmentIds } };
    case 'PROVIDER':
      return { providerId: { $in: principal.providerIds } };
    case 'MINISTRY':
      return {};
    default:
      return { _id: { $in: [] } };
  }
}

/** Ministry → SSM contracts are public (who manages a catchment, for which term); funding is not. */
export function contractReadScope(_principal: Principal): ScopeFilter {
  return {};
}

/**
 * Whether an agreement is in the caller's read scope (`agreementReadScope` as a predicate). What is
 * outside it is answered as if it did not exist, in reads and in changes alike, so an id's answer never
 * tells whether it exists.
 */
export function canReadAgreement(
  principal: Principal,
  agreement: { catchmentId: string; providerId: string },
) {
  switch (principal.role) {
    case 'MINISTRY':
      return true;
    case 'SSM':
      return principal.catchmentIds.includes(agreement.catchmentId);
    case 'PROVIDER':
      return principal.providerIds.includes(agreement.providerId);
    default:
      return false;
  }
}

/** Funding figures and amendment history of an agreement. */
export function canSeeAgreementFunding(
  principal: Principal,
  agreement: { catchmentId: string; providerId: string },
): boolean {
  // Whoever may read an agreement sees its figures (PARTNER and PUBLIC read none).
  return canReadAgreement(principal, agreement);
}

/** Funding figures and amendment history of a ministry → SSM contract. */
export function canSeeContractFunding(principal: Principal, contract: { catchmentId: string }): boolean {
  return (
    principal.role === 'MINISTRY' ||
    (principal.role === 'SSM' && principal.catchmentIds.includes(contract.catchmentId))
  );
}

/** The ministry changes any agreement; an SSM only agreements in its own catchments; nobody else. */
export function refuseAgreementChange(
  principal: Principal,
  catchmentId: string,
  action: string,
): MutationError | null {
  if (principal.role === 'MINISTRY') return null;
  if (principal.role === 'SSM') {
    return principal.catchmentIds.includes(catchmentId)
      ? null
      : mutationError(
          'FORBIDDEN',
          `An SSM may ${action} only in its own catchments; ${catchmentId} is not one of them`,
        );
  }
  return mutationError(
    'FORBIDDEN',
    `Only the ministry or the catchment's SSM may ${action}; caller is ${principal.role}`,
  );
}
