import { randomBytes } from 'node:crypto';
import type { Principal } from '@ies/auth';
import {
  badUserInput,
  findPageById,
  notFound,
  type Connection as Page,
  type PageArgs,
} from '@ies/subgraph-kit';
import { endpointTakes } from '../endpoint/endpoint-access';
import type { WebhookEndpointDoc } from '../endpoint/webhook-endpoint.model';
import type { WebhookEndpointService } from '../endpoint/webhook-endpoint.service';
import type { StoredEventModel } from '../events/stored-event.model';
import type { DeliveryScheduler } from './delivery-queue';
import type { WebhookDeliveryDoc, WebhookDeliveryModel } from './webhook-delivery.model';

/** Events one `replayWebhookEvents` call sends at most (call again from the last one's time for more). */
export const MAX_REPLAYED_EVENTS = 1000;

const replaySuffix = () => `replay-${randomBytes(6).toString('hex')}`;

/** The delivery log of an endpoint, and replays (each a new delivery of a stored event). */
export class WebhookDeliveryService {
  constructor(
    private readonly deps: {
      deliveries: WebhookDeliveryModel;
      events: StoredEventModel;
      endpoints: WebhookEndpointService;
      scheduler: DeliveryScheduler;
    },
  ) {}

  async page(principal: Principal, endpointId: string, page: PageArgs): Promise<Page<WebhookDeliveryDoc>> {
    await this.deps.endpoints.visible(principal, endpointId);
    return findPageById(this.deps.deliveries, [{ endpointId }], page);
  }

  private refuseDisabled(endpoint: WebhookEndpointDoc) {
    if (!endpoint.enabled)
      throw badUserInput('The endpoint is disabled: enable it before replaying', 'endpointId');
  }

  async replayDelivery(principal: Principal, deliveryId: string): Promise<WebhookDeliveryDoc> {
    const delivery = await this.deps.deliveries.findById(deliveryId).lean<WebhookDeliveryDoc>();
    if (!delivery) throw notFound(`No webhook delivery ${deliveryId}`);
    const endpoint = await this.deps.endpoints.find(principal, delivery.endpointId);
    if (!endpoint) throw notFound(`No webhook delivery ${deliveryId}`);
    this.refuseDisabled(endpoint);
    const event = await this.deps.events.findById(delivery.eventId).lean();
    if (!event) throw notFound(`The event of delivery ${deliveryId} is no longer kept`);
    return this.deps.scheduler.schedule(endpoint._id, event, replaySuffix(), delivery._id);
  }

  /** Sends again every stored event since `since` that the endpoint's filter takes now, oldest first. */
  async replaySince(principal: Principal, endpointId: string, since: Date): Promise<WebhookDeliveryDoc[]> {
    if (Number.isNaN(since.getTime())) throw badUserInput('since is not a time', 'since');
    const endpoint = await this.deps.endpoints.visible(principal, endpointId);
    this.refuseDisabled(endpoint);
    const events = await this.deps.events
      .find({ occurredAt: { $gte: since } })
      .sort({ occurredAt: 1, _id: 1 })
      .limit(MAX_REPLAYED_EVENTS * 5)
      .lean();
    const taken = events.filter((event) => endpointTakes(endpoint, event)).slice(0, MAX_REPLAYED_EVENTS);
    const scheduled: WebhookDeliveryDoc[] = [];
    for (const event of taken)
      scheduled.push(await this.deps.scheduler.schedule(endpoint._id, event, replaySuffix()));
    return scheduled;
  }
}
