import type { Principal } from '@ies/auth';
import { subjectKindOf } from './event-topics';
import type { PlatformEvent } from './platform-event';

/**
 * Who may subscribe at all. Anonymous (PUBLIC) connections are acknowledged but every subscription is
 * refused: live feeds are for the ministry, SSMs, providers and partners holding a token.
 */
export const maySubscribe = (principal: Principal): boolean => principal.role !== 'PUBLIC';

/**
 * The first, cheap filter of an event for a subscriber, from the event alone (ADR 0020):
 * - the ministry hears everything;
 * - an SSM hears the events of its catchments only;
 * - a provider hears the events that name one of its providers (`data.providerId`);
 * - a partner hears the events of the catchments its token names;
 * - a subject the gateway cannot look up (a dispute category, an SLA policy) is heard by the ministry only.
 * An event that passes is then resolved through the supergraph with the subscriber's principal, and is
 * not sent when its subject resolves to null there: the subgraphs' access rules have the last word.
 */
export function mayHear(principal: Principal, event: PlatformEvent): boolean {
  if (principal.role === 'MINISTRY') return true;
  if (!subjectKindOf(event.subject.typename)) return false;
  switch (principal.role) {
    case 'SSM':
    case 'PARTNER':
      return event.catchmentId !== null && principal.catchmentIds.includes(event.catchmentId);
    case 'PROVIDER': {
      const providerId = event.data.providerId;
      return typeof providerId === 'string' && principal.providerIds.includes(providerId);
    }
    default:
      return false;
  }
}

/**
 * Catchments named in a subscription's arguments that the subscriber could never hear (an SSM or partner
 * naming a catchment outside its token): refused at subscribe time rather than left silent forever.
 */
export function catchmentsOutOfScope(principal: Principal, catchmentIds: readonly string[]): string[] {
  if (principal.role !== 'SSM' && principal.role !== 'PARTNER') return [];
  return catchmentIds.filter((id) => !principal.catchmentIds.includes(id));
}
