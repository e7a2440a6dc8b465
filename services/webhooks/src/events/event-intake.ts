import type { PlatformEvent } from '@ies/events';
import type { ChangeLog } from '@ies/change-log';
import type { Logger } from '@ies/logger';
import type { DeliveryScheduler } from '../delivery/delivery-queue';
import { endpointTakes } from '../endpoint/endpoint-access';
import type { WebhookEndpointDoc, WebhookEndpointModel } from '../endpoint/webhook-endpoint.model';
import type { StoredEventDoc } from './stored-event.model';
import type { StoredEvents } from './stored-events';

/** An event as it arrives from the platform's stream. */
export type IncomingEvent = PlatformEvent;

/**
 * Takes in one event of the stream: stores it (keyed by its id, so a second intake stores nothing
 * and reuses the first body; the events of a burst in one insert) and schedules one delivery per
 * enabled endpoint whose filter takes it.
 * Idempotent end to end: a redelivered entry schedules the same jobs again, which BullMQ ignores.
 */
export class EventIntake {
  constructor(
    private readonly deps: {
      events: StoredEvents;
      endpoints: WebhookEndpointModel;
      endpointLog: ChangeLog<WebhookEndpointDoc>;
      scheduler: DeliveryScheduler;
      logger: Logger;
    },
  ) {}

  /** Events taken in so far: a read of the endpoints remembers how many had been when it started. */
  private received = 0;
  private endpointsRead: { after: number; endpoints: Promise<WebhookEndpointDoc[]> } | null = null;

  /**
   * The enabled endpoints, as read by a query started after the `arrival`th event was taken in: events
   * taken in at once share one read, and no event is matched against endpoints read before it arrived
   * (an endpoint registered before then is always seen). Each delivery attempt checks its endpoint
   * again.
   */
  private enabledEndpoints(arrival: number): Promise<WebhookEndpointDoc[]> {
    const current = this.endpointsRead;
    if (current && current.after >= arrival) return current.endpoints;
    const endpoints = (async () =>
      this.deps.endpointLog.overlay(
        await this.deps.endpoints.find({ enabled: true }).lean<WebhookEndpointDoc[]>(),
      ))();
    const read = { after: this.received, endpoints };
    this.endpointsRead = read;
    // A failed read is not shared with later events.
    endpoints.catch(() => {
      if (this.endpointsRead === read) this.endpointsRead = null;
    });
    return endpoints;
  }

  async take(event: IncomingEvent): Promise<number> {
    const arrival = ++this.received;
    const receivedAt = new Date();
    const occurredAt = new Date(event.occurredAt);
    const stored = await this.deps.events.store({
      _id: event.id,
      type: event.type,
      catchmentId: event.catchmentId ?? null,
      // An unreadable time would fail the insert on every redelivery: the time it arrived stands in.
      occurredAt: Number.isNaN(occurredAt.getTime()) ? receivedAt : occurredAt,
      service: event.service,
      body: JSON.stringify(event),
      receivedAt,
    } satisfies StoredEventDoc);
    const enabled = await this.enabledEndpoints(arrival);
    const taking = enabled.filter((endpoint) => endpoint.enabled && endpointTakes(endpoint, stored));
    for (const endpoint of taking) await this.deps.scheduler.schedule(endpoint._id, stored);
    if (taking.length > 0)
      this.deps.logger.debug(
        { eventId: event.id, type: event.type, endpoints: taking.length },
        'deliveries scheduled',
      );
    return taking.length;
  }
}
