import type { Principal } from '@ies/auth';
import { isPartnerEventType, subjectTypenameOf } from '@ies/events';
import { subjectKindOf } from './event-topics';
import type { PlatformEvent } from './platform-event';

/**
 * Who may subscribe at all. Anonymous (PUBLIC) connections are acknowledged but every subscription is
 * refused: live feeds are for the ministry, SSMs, providers and partners holding a token.
 */
export const maySubscribe = (principal: Principal): boolean => principal.role !== 'PUBLIC';

/**
 * The catchments a partner hears: those its token names, or, when it names none, every catchment
 * (null: province-wide, as its reads and its webhook endpoints are, ADR 0019).
 */
const partnerCatchments = (principal: Principal): readonly string[] | null =>
  principal.catchmentIds.length > 0 ? principal.catchmentIds : null;

/**
 * The first, cheap filter of an event for a subscriber, from the event alone (ADR 0020):
 * - the ministry hears everything;
 * - an SSM hears the events of its catchments only;
 * - a provider hears the events that name one of its providers (`data.providerId`);
 * - a partner hears the partner event types (`PARTNER_EVENT_TYPES` of `@ies/events`, the webhooks'
 *   allow-list) of the catchments its token names, or of every catchment when it names none;
 * - a subject the gateway cannot look up (a dispute category, an SLA policy) is heard by the ministry only.
 * An event that passes is then resolved through the supergraph with the subscriber's principal, and is
 * not sent when its subject resolves to null there: the subgraphs' access rules have the last word.
 */
export function mayHear(principal: Principal, event: PlatformEvent): boolean {
  if (principal.role === 'MINISTRY') return true;
  if (!subjectKindOf(event.subject.typename)) return false;
  switch (principal.role) {
    case 'SSM':
      return event.catchmentId !== null && principal.catchmentIds.includes(event.catchmentId);
    case 'PARTNER': {
      if (!isPartnerEventType(event.type)) return false;
      const catchmentIds = partnerCatchments(principal);
      return (
        catchmentIds === null || (event.catchmentId !== null && catchmentIds.includes(event.catchmentId))
      );
    }
    case 'PROVIDER': {
      const providerId = event.data.providerId;
      return typeof providerId === 'string' && principal.providerIds.includes(providerId);
    }
    default:
      return false;
  }
}

/**
 * Catchments named in a subscription's arguments that the subscriber could never hear (an SSM, or a
 * partner whose token names catchments, naming one outside its token): refused at subscribe time rather
 * than left silent forever.
 */
export function catchmentsOutOfScope(principal: Principal, catchmentIds: readonly string[]): string[] {
  const allowed =
    principal.role === 'SSM'
      ? principal.catchmentIds
      : principal.role === 'PARTNER'
        ? partnerCatchments(principal)
        : null;
  if (allowed === null) return [];
  return catchmentIds.filter((id) => !allowed.includes(id));
}

/**
 * Event types a subscription names that the subscriber could never hear, refused at subscribe time as
 * a webhook endpoint's filter is: for a partner, a type outside the partner event types; for anyone but
 * the ministry, a type whose subject the gateway cannot look up (`mayHear`: the ministry's only).
 */
export function eventTypesOutOfScope(principal: Principal, types: readonly string[]): string[] {
  if (principal.role === 'MINISTRY') return [];
  return types.filter((type) => {
    const typename = subjectTypenameOf(type);
    if (typename === null || !subjectKindOf(typename)) return true;
    return principal.role === 'PARTNER' && !isPartnerEventType(type);
  });
}
