import type { Principal } from '@ies/auth';
import { forbidden } from '@ies/subgraph-kit';
import { PARTNER_EVENT_TYPES, unknownEventTypes } from '@ies/events';

/**
 * Who manages webhook endpoints (issue 11):
 * - PARTNER: its own endpoints (`principal.partnerId`), filtered to the partner-visible event types
 *   and, when its token names catchments, to those catchments;
 * - MINISTRY: every endpoint, its own (no partner) and any partner's;
 * - SSM, PROVIDER, PUBLIC: none (FORBIDDEN before any read, so they learn nothing of ids).
 * An endpoint of another partner answers exactly like an unknown id.
 */
export function assertManagesEndpoints(principal: Principal): void {
  if (principal.role === 'MINISTRY' || (principal.role === 'PARTNER' && principal.partnerId)) return;
  throw forbidden(`Only a partner or the ministry manages webhook endpoints; caller is ${principal.role}`);
}

/** The endpoints a caller may see, as a MongoDB filter. */
export function endpointReadScope(principal: Principal): Record<string, unknown> {
  assertManagesEndpoints(principal);
  return principal.role === 'MINISTRY' ? {} : { partnerId: principal.partnerId };
}

export const canSeeEndpoint = (principal: Principal, endpoint: { partnerId: string | null }): boolean =>
  principal.role === 'MINISTRY' ||
  (principal.role === 'PARTNER' && endpoint.partnerId === principal.partnerId);

/** What an endpoint of this owner may receive: every type for the ministry's own, the allow-list for a partner's. */
export interface FilterBounds {
  eventTypes: readonly string[] | 'any';
  /** Null: any catchment (and province-wide events). */
  catchmentIds: readonly string[] | null;
}

/**
 * The bounds of an endpoint's filter. A partner's endpoint (registered by the partner, or by the
 * ministry on its behalf) takes partner-visible types only; a partner token naming catchments bounds
 * the catchments to those.
 */
export function filterBounds(principal: Principal, partnerId: string | null): FilterBounds {
  if (partnerId === null) return { eventTypes: 'any', catchmentIds: null };
  const catchmentIds =
    principal.role === 'PARTNER' && principal.catchmentIds.length > 0 ? principal.catchmentIds : null;
  return { eventTypes: PARTNER_EVENT_TYPES, catchmentIds };
}

/** An event type name: PascalCase, 3–64 characters. */
export const EVENT_TYPE_NAME = /^[A-Z][A-Za-z0-9]{2,63}$/;

export type FilterCheck =
  | { ok: true; eventTypes: string[]; catchmentIds: string[] | null }
  | { ok: false; field: string; message: string };

const CATCHMENT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Validates and normalizes an endpoint's filter against its bounds: at least one event type, each one
 * the platform publishes (unless `knownTypesOnly` is false: types an endpoint kept) and each allowed;
 * catchments (when given) each allowed; a partner bounded to catchments who gives none gets exactly
 * its catchments.
 */
export function checkFilter(
  input: { eventTypes: readonly string[]; catchmentIds?: readonly string[] | null },
  bounds: FilterBounds,
  options: { knownTypesOnly?: boolean } = {},
): FilterCheck {
  const eventTypes = [...new Set(input.eventTypes)].sort();
  if (eventTypes.length === 0 || eventTypes.length > 50)
    return { ok: false, field: 'input.eventTypes', message: 'Give 1–50 event types' };
  const malformed = eventTypes.find((t) => !EVENT_TYPE_NAME.test(t));
  if (malformed)
    return {
      ok: false,
      field: 'input.eventTypes',
      message: `${JSON.stringify(malformed.slice(0, 80))} is not an event type name`,
    };
  const unknown = options.knownTypesOnly === false ? [] : unknownEventTypes(eventTypes);
  if (unknown.length > 0)
    return {
      ok: false,
      field: 'input.eventTypes',
      message: `Not an event type of the platform: ${unknown.join(', ')} (docs/events.md lists them)`,
    };
  if (bounds.eventTypes !== 'any') {
    const allowed = bounds.eventTypes;
    const refused = eventTypes.filter((t) => !allowed.includes(t));
    if (refused.length > 0)
      return {
        ok: false,
        field: 'input.eventTypes',
        message: `A partner endpoint may receive ${allowed.join(', ')}; not ${refused.join(', ')}`,
      };
  }
  if (input.catchmentIds === undefined || input.catchmentIds === null) {
    return {
      ok: true,
      eventTypes,
      catchmentIds: bounds.catchmentIds ? [...bounds.catchmentIds].sort() : null,
    };
  }
  const catchmentIds = [...new Set(input.catchmentIds)].sort();
  if (
    catchmentIds.length === 0 ||
    catchmentIds.length > 100 ||
    catchmentIds.some((id) => !CATCHMENT_ID.test(id))
  )
    return {
      ok: false,
      field: 'input.catchmentIds',
      message: 'Give 1–100 catchment ids, or none for every catchment',
    };
  if (bounds.catchmentIds) {
    const outside = catchmentIds.filter((id) => !bounds.catchmentIds!.includes(id));
    if (outside.length > 0)
      return {
        ok: false,
        field: 'input.catchmentIds',
        message: `Outside the partner's catchments: ${outside.join(', ')}`,
      };
  }
  return { ok: true, eventTypes, catchmentIds };
}

/** Whether an endpoint's filter takes an event (partner endpoints: partner-visible types only, always). */
export function endpointTakes(
  endpoint: {
    partnerId: string | null;
    eventTypes: readonly string[];
    catchmentIds: readonly string[] | null;
  },
  event: { type: string; catchmentId: string | null },
): boolean {
  if (!endpoint.eventTypes.includes(event.type)) return false;
  if (endpoint.partnerId !== null && !PARTNER_EVENT_TYPES.includes(event.type)) return false;
  if (endpoint.catchmentIds === null) return true;
  return event.catchmentId !== null && endpoint.catchmentIds.includes(event.catchmentId);
}
