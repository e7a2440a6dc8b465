import { randomUUID } from 'node:crypto';

/**
 * One fact the platform publishes (ARCHITECTURE.md, "Events"): written inside the change-log record
 * of the change that produced it, so the log is the outbox.
 */
export interface DomainEvent {
  id: string;
  type: string;
  occurredAt: Date;
  /** The catchment the fact belongs to (subscribers are scoped by it); null for province-wide facts. */
  catchmentId: string | null;
  subject: { typename: string; id: string };
  data: Record<string, unknown>;
  /** The subject's version that this change produced. */
  version: number;
}

/** What a change declares; the log fills in id, time, subject and version. */
export interface EventDraft {
  type: string;
  catchmentId: string | null;
  data?: Record<string, unknown>;
}

export const domainEvent = (
  draft: EventDraft,
  subject: DomainEvent['subject'],
  version: number,
  occurredAt: Date,
): DomainEvent => ({
  id: randomUUID(),
  type: draft.type,
  occurredAt,
  catchmentId: draft.catchmentId,
  subject,
  data: draft.data ?? {},
  version,
});
