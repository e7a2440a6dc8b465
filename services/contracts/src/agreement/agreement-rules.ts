import type { IsoDate } from '@ies/calendar';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import type { PeriodDates } from '@ies/calendar';
import type { ProgramDoc } from '../program/program.model';
import type { SiteDoc } from '../service-provider/service-provider.model';
import type { AgreementKind, AgreementStatus } from './provider-agreement.model';

/**
 * Programs of an agreement: they must exist; an SSM agreement holds in-scope programs only, and
 * Ontario Works Employment Assistance only for a term starting once the catchment is in IES delivery.
 */
/** More than any real agreement lists; a longer list is refused before anything is read. */
export const MAX_AGREEMENT_PROGRAMS = 50;
export const MAX_AGREEMENT_SITES = 200;

/** Bounds the lists an agreement names, so a hostile input cannot fan out into thousands of lookups. */
export function validateAgreementListSizes(programIds: string[], siteIds: string[]): MutationError | null {
  if (programIds.length > MAX_AGREEMENT_PROGRAMS)
    return mutationError(
      'VALIDATION_FAILED',
      `An agreement covers at most ${MAX_AGREEMENT_PROGRAMS} programs`,
      'input.programIds',
    );
  if (siteIds.length > MAX_AGREEMENT_SITES)
    return mutationError(
      'VALIDATION_FAILED',
      `An agreement covers at most ${MAX_AGREEMENT_SITES} sites`,
      'input.siteIds',
    );
  return null;
}

export function validateAgreementPrograms(
  kind: AgreementKind,
  requestedIds: string[],
  found: ProgramDoc[],
  dates: PeriodDates,
  termStartDate: IsoDate,
): MutationError | null {
  if (requestedIds.length === 0)
    return mutationError('VALIDATION_FAILED', 'An agreement covers at least one program', 'input.programIds');
  const byId = new Map(found.map((p) => [p._id, p]));
  const unknown = requestedIds.filter((id) => !byId.has(id));
  if (unknown.length)
    return mutationError('VALIDATION_FAILED', `Unknown programs: ${unknown.join(', ')}`, 'input.programIds');
  if (kind !== 'SSM_AGREEMENT') return null;
  const outOfScope = requestedIds.map((id) => byId.get(id)!).filter((p) => p.scope === 'OUT_OF_SCOPE');
  if (outOfScope.length) {
    return mutationError(
      'RULE_VIOLATION',
      `Out-of-scope programs stay with the ministry and cannot be put in an SSM agreement: ${outOfScope.map((p) => p.name).join(', ')}`,
      'input.programIds',
    );
  }
  const tooEarly = requestedIds
    .map((id) => byId.get(id)!)
    .filter(
      (p) =>
        p.inScopeFromIesDelivery &&
        (dates.iesDeliveryStartDate === null || termStartDate < dates.iesDeliveryStartDate),
    );
  if (tooEarly.length) {
    const from = dates.iesDeliveryStartDate
      ? `IES delivery starts on ${dates.iesDeliveryStartDate}`
      : 'IES delivery start is not announced';
    return mutationError(
      'RULE_VIOLATION',
      `${tooEarly.map((p) => p.name).join(', ')} is in scope only from IES delivery; the term starts ${termStartDate} and ${from}`,
      'input.programIds',
    );
  }
  return null;
}

/**
 * Sites of an agreement: at least one, each a site of the provider serving the agreement's
 * catchment, none on-reserve (on-reserve services are exempt from the SSM model).
 */
export function validateAgreementSites(
  providerSites: SiteDoc[],
  siteIds: string[],
  catchmentId: string,
): MutationError | null {
  if (siteIds.length === 0)
    return mutationError('VALIDATION_FAILED', 'An agreement covers at least one site', 'input.siteIds');
  if (new Set(siteIds).size !== siteIds.length)
    return mutationError('VALIDATION_FAILED', 'A site is listed twice', 'input.siteIds');
  const byId = new Map(providerSites.map((s) => [s.id, s]));
  for (const id of siteIds) {
    const site = byId.get(id);
    if (!site)
      return mutationError('VALIDATION_FAILED', `Site ${id} is not a site of this provider`, 'input.siteIds');
    if (site.catchmentId !== catchmentId) {
      return mutationError(
        'VALIDATION_FAILED',
        `Site ${id} serves catchment ${site.catchmentId}, not ${catchmentId}`,
        'input.siteIds',
      );
    }
    if (site.onReserve) {
      return mutationError(
        'RULE_VIOLATION',
        `Site ${id} delivers services on-reserve, which are exempt from the SSM model and cannot be in an agreement`,
        'input.siteIds',
      );
    }
  }
  return null;
}

const TRANSITIONS: Record<AgreementStatus, AgreementStatus[]> = {
  DRAFT: ['ACTIVE', 'TERMINATED'],
  ACTIVE: ['EXPIRED', 'TERMINATED'],
  EXPIRED: [],
  TERMINATED: [],
};

/**
 * DRAFT → ACTIVE | TERMINATED; ACTIVE → TERMINATED, or EXPIRED once the term has ended, both on the
 * stated `asOf` and in fact (today): a future `asOf` cannot expire a running agreement.
 */
export function validateStatusChange(
  from: AgreementStatus,
  to: AgreementStatus,
  asOf: IsoDate,
  termEndDate: IsoDate,
  today: IsoDate,
): MutationError | null {
  if (!TRANSITIONS[from].includes(to)) {
    return mutationError('RULE_VIOLATION', `An agreement cannot go from ${from} to ${to}`, 'input.status');
  }
  if (to === 'EXPIRED' && (asOf <= termEndDate || today <= termEndDate)) {
    return mutationError(
      'RULE_VIOLATION',
      `The agreement's term runs until ${termEndDate}; it cannot expire on ${asOf <= termEndDate ? asOf : today}`,
      'input.status',
    );
  }
  return null;
}

/** Funding and targets of an expired or terminated agreement are history, not amendable. */
export function refuseAmendingClosed(status: AgreementStatus): MutationError | null {
  return status === 'EXPIRED' || status === 'TERMINATED'
    ? mutationError('RULE_VIOLATION', `A ${status} agreement cannot be amended`)
    : null;
}

/** Phase 2 end of ministry contracts for providers whose sites all lie inside the catchment. */
export const PHASE_2_MINISTRY_CONTRACT_END = '2023-04-30';
/** Phase 2 standard 12-month agreement for providers with sites outside the catchment. */
export const PHASE_2_STANDARD_TERM = { termStartDate: '2023-04-01', termEndDate: '2024-03-31' } as const;

/**
 * DOMAIN §2, Phase 2 transition: a provider whose sites serving the catchment all lie inside it kept
 * its ministry contract until 30 April 2023; one with any site outside got a standard 12-month SSM
 * agreement (1 April 2023 – 31 March 2024). On-reserve sites are exempt and do not count.
 */
export function phase2TransitionArrangement(
  sites: SiteDoc[],
  catchmentId: string,
): { kind: AgreementKind; termStartDate: IsoDate | null; termEndDate: IsoDate } {
  const serving = sites.filter((s) => s.catchmentId === catchmentId && !s.onReserve);
  return serving.every((s) => s.insideCatchment)
    ? { kind: 'MINISTRY_TRANSFER_PAYMENT', termStartDate: null, termEndDate: PHASE_2_MINISTRY_CONTRACT_END }
    : { kind: 'SSM_AGREEMENT', ...PHASE_2_STANDARD_TERM };
}
