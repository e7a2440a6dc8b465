/**
 * One event as the gateway reads it from the platform's stream (`@ies/events`): a domain event with its
 * time as an ISO-8601 string and the service that produced it.
 */
export interface PlatformEvent {
  id: string;
  type: string;
  occurredAt: string;
  catchmentId: string | null;
  subject: { typename: string; id: string };
  data: Record<string, unknown>;
  version: number;
  service: string;
}
