import type { Principal } from '@ies/auth';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import {
  ESCALATION_LEVELS,
  type DisputeKind,
  type DisputeStatus,
  type EscalationLevel,
} from '../dispute/dispute-lifecycle';

/**
 * Who sees and changes what in the disputes subgraph (issue 10, "Access"). Read scopes are MongoDB
 * filters, so lists, lookups and entity resolution never fetch what the caller may not see, and an id
 * out of the caller's scope answers exactly like an unknown one (null, or NOT_FOUND for a mutation).
 *
 * - MINISTRY: every dispute.
 * - SSM: the disputes of its catchments (`principal.catchmentIds`).
 * - PROVIDER: the disputes it is a party to (`principal.providerIds`): its own complaints, and the
 *   complaints of clients it serves.
 * - PARTNER, PUBLIC: no dispute, ever (a client dispute carries personal details, and a provider's
 *   disputes are its own business); the public dispute process, SLA policies and aggregate counts with
 *   small counts suppressed only.
 *
 * Clients have no principal of their own (no CLIENT role): a client's dispute is filed and followed
 * through its provider, its SSM or the ministry, who record who did what in the dispute's history.
 */
export type ScopeFilter = Record<string, unknown>;

export interface DisputeParties {
  kind: DisputeKind;
  catchmentId: string;
  providerId: string | null;
  level: EscalationLevel;
}

const oneOf = (field: string, values: readonly string[]): ScopeFilter =>
  values.length === 1 ? { [field]: values[0] } : { [field]: { $in: [...values] } };

/** The filter of the disputes a caller may read; null when it may read none. */
export function disputeReadScope(principal: Principal): ScopeFilter | null {
  switch (principal.role) {
    case 'MINISTRY':
      return {};
    case 'SSM':
      return principal.catchmentIds.length > 0 ? oneOf('catchmentId', principal.catchmentIds) : null;
    case 'PROVIDER':
      return principal.providerIds.length > 0 ? oneOf('providerId', principal.providerIds) : null;
    default:
      return null;
  }
}

/** The same rule as `disputeReadScope`, for one dispute in hand. */
export function canSeeDispute(
  principal: Principal,
  dispute: { catchmentId: string; providerId: string | null },
): boolean {
  switch (principal.role) {
    case 'MINISTRY':
      return true;
    case 'SSM':
      return principal.catchmentIds.includes(dispute.catchmentId);
    case 'PROVIDER':
      return dispute.providerId !== null && principal.providerIds.includes(dispute.providerId);
    default:
      return false;
  }
}

/**
 * A client dispute's personal details (the client, its CaMS reference, the description, reasons and
 * resolution summary) follow the rule of client data (DOMAIN.md §3): the serving provider, the SSM of
 * the catchment and the ministry. Everyone who may see a dispute is one of those, so the rule is the
 * same; it is kept apart so that widening who sees disputes cannot widen who sees the person.
 */
export function canSeeClientDetails(
  principal: Principal,
  dispute: { catchmentId: string; providerId: string | null },
): boolean {
  return canSeeDispute(principal, dispute);
}

/**
 * Restricts list conditions to the caller's scope, keeping a requested equality as a plain equality
 * (FerretDB indexes top-level equality only, ADR 0008): a requested catchment or provider outside the
 * scope gives null (nothing to read), one inside it needs no further condition.
 */
export function scopedConditions(
  principal: Principal,
  equalities: Record<string, string>,
): ScopeFilter | null {
  const scope = disputeReadScope(principal);
  if (scope === null) return null;
  const conditions: ScopeFilter = { ...equalities };
  for (const [field, condition] of Object.entries(scope)) {
    if (!(field in equalities)) {
      conditions[field] = condition;
      continue;
    }
    const allowed = typeof condition === 'string' ? [condition] : (condition as { $in: string[] }).$in;
    if (!allowed.includes(equalities[field]!)) return null;
  }
  return conditions;
}

const rankOf = (level: EscalationLevel) => ESCALATION_LEVELS.indexOf(level);

/**
 * The level a caller acts at for this dispute: the ministry at MINISTRY, the catchment's SSM at SSM,
 * the provider party of a client dispute at PROVIDER (the provider of a service-provider dispute is
 * the complainant and handles nothing). Null when the caller handles nothing here.
 */
function handlingLevel(principal: Principal, dispute: DisputeParties): EscalationLevel | null {
  if (principal.role === 'MINISTRY') return 'MINISTRY';
  if (principal.role === 'SSM' && principal.catchmentIds.includes(dispute.catchmentId)) return 'SSM';
  if (
    principal.role === 'PROVIDER' &&
    dispute.kind === 'CLIENT' &&
    dispute.providerId !== null &&
    principal.providerIds.includes(dispute.providerId)
  )
    return 'PROVIDER';
  return null;
}

/**
 * Who may move a dispute (visible to the caller) to `to`:
 * - ACKNOWLEDGED, UNDER_REVIEW, RESOLVED: whoever handles the dispute at its current level or above
 *   (a client dispute at PROVIDER level: the provider, the SSM or the ministry; once escalated to the
 *   SSM, the SSM or the ministry; at MINISTRY, the ministry only);
 * - ESCALATED: any party who sees it (a party may always ask for the next level);
 * - WITHDRAWN: the complainant's side only, never the respondent (`refuseWithdrawal`).
 */
export function refuseTransition(
  principal: Principal,
  dispute: DisputeParties,
  to: DisputeStatus,
): MutationError | null {
  if (to === 'ESCALATED') return null;
  if (to === 'WITHDRAWN') return refuseWithdrawal(principal, dispute);
  const acting = handlingLevel(principal, dispute);
  if (acting !== null && rankOf(acting) >= rankOf(dispute.level)) return null;
  return mutationError(
    'FORBIDDEN',
    `The dispute is at the ${dispute.level} level: only ${handlersOf(dispute.level)} may move it to ${to}`,
  );
}

/**
 * Who may withdraw a dispute (visible to the caller): the complainant's side, whatever the level.
 * - A client dispute is the client's: a client has no principal, so it withdraws through the SSM of
 *   the catchment or the ministry, who record it. Never through the provider it complains about (the
 *   respondent), and never through the SSM when the dispute is about the SSM (no provider party):
 *   then the ministry records it.
 * - A service-provider dispute is the provider's: the provider withdraws it (or the ministry records
 *   it), never the SSM it disputes with.
 * The ministry may always record a withdrawal.
 */
export function refuseWithdrawal(principal: Principal, dispute: DisputeParties): MutationError | null {
  if (principal.role === 'MINISTRY') return null;
  if (dispute.kind === 'CLIENT') {
    if (principal.role === 'SSM' && dispute.providerId !== null) return null;
    return mutationError(
      'FORBIDDEN',
      dispute.providerId === null
        ? 'A client withdraws a dispute about its SSM through the ministry; the SSM may not withdraw it'
        : 'A client withdraws its dispute through the SSM or the ministry; the provider it disputes with may not',
    );
  }
  if (principal.role === 'PROVIDER') return null;
  return mutationError(
    'FORBIDDEN',
    'A service provider withdraws its own dispute (or the ministry records it); the SSM it disputes with may not',
  );
}

const handlersOf = (level: EscalationLevel) =>
  ({
    PROVIDER: "the client's provider, the SSM or the ministry",
    SSM: 'the SSM of the catchment or the ministry',
    MINISTRY: 'the ministry',
  })[level];

/**
 * Who may open a dispute: the ministry anywhere; an SSM in its catchments (recording a client's or a
 * provider's complaint); a provider as a party (its own complaint, or a complaint of a client it
 * serves). PARTNER and PUBLIC file through the published process, not this API.
 */
export function refuseOpening(
  principal: Principal,
  input: { catchmentId: string; providerId: string | null },
): MutationError | null {
  switch (principal.role) {
    case 'MINISTRY':
      return null;
    case 'SSM':
      return principal.catchmentIds.includes(input.catchmentId)
        ? null
        : mutationError(
            'FORBIDDEN',
            `An SSM opens disputes in its own catchments only; ${input.catchmentId} is not one of them`,
            'input.catchmentId',
          );
    case 'PROVIDER':
      return input.providerId !== null && principal.providerIds.includes(input.providerId)
        ? null
        : mutationError(
            'FORBIDDEN',
            'A provider opens disputes it is a party to: providerId must be one of its own',
            'input.providerId',
          );
    default:
      return refuseRole(principal, 'open disputes');
  }
}

/** Roles that never hold disputes are refused before any read, so they learn nothing of ids. */
export function refuseRole(principal: Principal, action: string): MutationError | null {
  return disputeReadScope(principal) === null
    ? mutationError(
        'FORBIDDEN',
        `Only a party to a dispute, the SSM or the ministry may ${action}; caller is ${principal.role}`,
      )
    : null;
}

/** A catchment's public process: the ministry, or an SSM of that catchment. */
export function refuseProcessChange(principal: Principal, catchmentId: string): MutationError | null {
  if (principal.role === 'MINISTRY') return null;
  if (principal.role === 'SSM' && principal.catchmentIds.includes(catchmentId)) return null;
  return mutationError(
    'FORBIDDEN',
    `Only the ministry or the SSM of ${catchmentId} may publish its dispute process; caller is ${principal.role}`,
  );
}

/**
 * An SSM's SLA policy: the ministry, or an SSM user acting in every catchment that SSM manages now
 * (an SSM user scoped to one of its catchments may not change the clocks of the others).
 */
export function refuseSlaPolicyChange(
  principal: Principal,
  ssmId: string,
  managedCatchmentIds: readonly string[],
): MutationError | null {
  if (principal.role === 'MINISTRY') return null;
  if (
    principal.role === 'SSM' &&
    managedCatchmentIds.length > 0 &&
    managedCatchmentIds.every((id) => principal.catchmentIds.includes(id))
  )
    return null;
  return mutationError(
    'FORBIDDEN',
    `Only the ministry or SSM ${ssmId} (acting in all of its catchments) may set its dispute SLA policy`,
  );
}

/** Whether every record behind an aggregate over these catchments is visible to the caller. */
export function canSeeAllRecordsOf(principal: Principal, catchmentIds: readonly string[]): boolean {
  if (principal.role === 'MINISTRY') return true;
  if (principal.role !== 'SSM' || catchmentIds.length === 0) return false;
  return catchmentIds.every((id) => principal.catchmentIds.includes(id));
}
