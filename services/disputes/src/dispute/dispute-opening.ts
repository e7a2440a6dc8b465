import type { Principal } from '@ies/auth';
import { periodOn, type IsoDate } from '@ies/calendar';
import type { CatchmentPeriods } from '@ies/catchment-read-model';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import type { DisputeCategoryDoc } from '../category/dispute-category.model';
import { REFERENCE_PATTERN, REOPENING_REFERENCE } from './dispute-ids';
import type { DisputeKind } from './dispute-lifecycle';

/**
 * The rules a new dispute meets besides the lifecycle's (dispute-lifecycle.ts), whether it is opened
 * through the API or imported: pure functions over facts the caller has read.
 */

export interface DisputeParties {
  kind: DisputeKind;
  /** A client id (API) or CaMS reference (import) is given. */
  hasClient: boolean;
  providerId: string | null;
}

/**
 * A client dispute names its client (and, usually, the provider serving it); a service-provider
 * dispute names the provider bringing it and no client.
 */
export function refuseParties(parties: DisputeParties, clientField: string): MutationError | null {
  if (parties.kind === 'CLIENT' && !parties.hasClient)
    return mutationError('VALIDATION_FAILED', 'A client dispute names its client', clientField);
  if (parties.kind === 'SERVICE_PROVIDER') {
    if (parties.hasClient) {
      return mutationError(
        'VALIDATION_FAILED',
        'A service-provider dispute names no client (a client brings a CLIENT dispute)',
        clientField,
      );
    }
    if (parties.providerId === null) {
      return mutationError(
        'VALIDATION_FAILED',
        'A service-provider dispute names the provider bringing it',
        'input.providerId',
      );
    }
  }
  return null;
}

/** The category exists, is active and applies to the kind (retired ones stay on past disputes only). */
export function refuseCategory(
  code: string,
  category: DisputeCategoryDoc | undefined,
  kind: DisputeKind,
  field = 'input.category',
): MutationError | null {
  if (!category || !category.active)
    return mutationError('VALIDATION_FAILED', `No active dispute category ${code}`, field);
  if (!category.kinds.includes(kind))
    return mutationError('VALIDATION_FAILED', `Category ${code} does not apply to ${kind} disputes`, field);
  return null;
}

/**
 * A dispute is opened in a catchment whose SSM runs a dispute mechanism: one with an SSM, on a date
 * from its transition on (when responsibility for the provider network moves to the SSM). Returns
 * the SSM party, or the refusal.
 */
export function ssmHearingDisputes(
  catchmentId: string,
  periods: CatchmentPeriods | MutationError,
  on: IsoDate,
  field = 'input.catchmentId',
): { ssmId: string } | MutationError {
  if ('code' in periods) return periods;
  if (!periods.ssmId) {
    return mutationError(
      'RULE_VIOLATION',
      `Catchment ${catchmentId} has no service system manager yet (TBA), so no dispute process runs there`,
      field,
    );
  }
  const period = periodOn(periods, on);
  if (period !== 'TRANSITION' && period !== 'IES_DELIVERY') {
    return mutationError(
      'RULE_VIOLATION',
      `Catchment ${catchmentId} is in ${period.toLowerCase().replace('_', ' ')} on ${on}: its SSM hears disputes from its transition on (${periods.transitionStartDate ?? 'to be announced'})`,
      field,
    );
  }
  return { ssmId: periods.ssmId };
}

/** Changes are stated for a date no later than today (work already done, or being done). */
export function refuseFutureDate(on: IsoDate, today: IsoDate, field = 'input.on'): MutationError | null {
  return on > today
    ? mutationError('VALIDATION_FAILED', `A dispute change is dated today (${today}) or earlier`, field)
    : null;
}

/**
 * Only the ministry (and the batch import, which does not come through here) records a dispute opened
 * on an earlier date: anyone else opens it today (Ontario), so no SLA clock starts already run down or
 * breached.
 */
export function refuseBackdating(
  principal: Principal,
  on: IsoDate,
  today: IsoDate,
  field = 'input.on',
): MutationError | null {
  return principal.role !== 'MINISTRY' && on < today
    ? mutationError(
        'VALIDATION_FAILED',
        `A dispute is opened today (${today}); only the ministry records one opened earlier`,
        field,
      )
    : null;
}

/**
 * A provider opens disputes only in a catchment where it has a site: an unknown provider is NOT_FOUND,
 * a provider without a site in the catchment a RULE_VIOLATION.
 */
export function refuseProviderCatchment(
  providerId: string,
  catchmentIds: readonly string[] | undefined,
  catchmentId: string,
): MutationError | null {
  if (!catchmentIds)
    return mutationError('NOT_FOUND', `No service provider ${providerId}`, 'input.providerId');
  return catchmentIds.includes(catchmentId)
    ? null
    : mutationError(
        'RULE_VIOLATION',
        `Service provider ${providerId} has no site in catchment ${catchmentId}, so it opens no dispute there`,
        'input.catchmentId',
      );
}

/**
 * A reference is the dispute's natural key (its id follows from it): only the ministry chooses one
 * through the API (recording a dispute already referenced elsewhere; the batch import keeps its own),
 * and never one of the form `<reference>-R<n>`, which belongs to a reopening (chosen, it would block
 * that reopening). Everyone else leaves it out and gets a generated one.
 */
export function refuseChosenReference(
  principal: Principal,
  reference: string | null,
  field = 'input.reference',
): MutationError | null {
  if (reference === null) return null;
  if (principal.role !== 'MINISTRY')
    return mutationError(
      'FORBIDDEN',
      'Only the ministry chooses a dispute reference; leave it out to get a generated one',
      field,
    );
  if (!REFERENCE_PATTERN.test(reference))
    return mutationError('VALIDATION_FAILED', 'A reference is 1–64 letters, digits, . _ / -', field);
  if (REOPENING_REFERENCE.test(reference))
    return mutationError(
      'VALIDATION_FAILED',
      'A reference ending in -R<n> is that of a reopening: reopen the dispute instead',
      field,
    );
  return null;
}
