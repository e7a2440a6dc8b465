import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '@ies/errors';
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
import {
  storedEventsPage,
  type StoredEventDoc,
  type StoredEventModel,
  type StoredEventPosition,
} from '../events/stored-event.model';
import type { DeliveryScheduler } from './delivery-queue';
import type { WebhookDeliveryDoc, WebhookDeliveryModel } from './webhook-delivery.model';

/** Events one `replayWebhookEvents` call sends at most (call again from its `nextSince` for more). */
export const MAX_REPLAYED_EVENTS = 1000;
/** Stored events one call examines at most (an endpoint that takes few of many events). */
export const MAX_SCANNED_EVENTS = 100_000;
/** Stored events read per query while scanning. */
export const SCAN_PAGE = 1000;
/**
 * Deliveries to one endpoint that may be pending when a replay is asked for: past it, replays are
 * refused until the endpoint catches up (a receiver that is down must not grow an unbounded backlog).
 */
export const MAX_PENDING_FOR_REPLAY = 10_000;
/** What a replay refused for the backlog tells its caller to wait (`extensions.retryAfterSeconds`). */
export const REPLAY_RETRY_AFTER_SECONDS = 60;

/** How much one `replayWebhookEvents` call sends and examines, and the backlog replays may add to. */
export interface ReplayLimits {
  maxReplayed: number;
  maxScanned: number;
  scanPage: number;
  maxPending: number;
}

/** What one `replayWebhookEvents` call sent, and where the next call starts when it had to stop. */
export interface ReplayOutcome {
  deliveries: WebhookDeliveryDoc[];
  /** More events may be taken: call again with `since: nextSince`. */
  truncated: boolean;
  nextSince: Date | null;
}

const replaySuffix = () => `replay-${randomBytes(6).toString('hex')}`;

/** The delivery log of an endpoint, and replays (each a new delivery of a stored event). */
export class WebhookDeliveryService {
  constructor(
    private readonly deps: {
      deliveries: WebhookDeliveryModel;
      events: StoredEventModel;
      endpoints: WebhookEndpointService;
      scheduler: DeliveryScheduler;
      limits?: Partial<ReplayLimits>;
    },
  ) {
    this.limits = {
      maxReplayed: MAX_REPLAYED_EVENTS,
      maxScanned: MAX_SCANNED_EVENTS,
      scanPage: SCAN_PAGE,
      maxPending: MAX_PENDING_FOR_REPLAY,
      ...deps.limits,
    };
  }

  private readonly limits: ReplayLimits;

  async page(principal: Principal, endpointId: string, page: PageArgs): Promise<Page<WebhookDeliveryDoc>> {
    await this.deps.endpoints.visible(principal, endpointId);
    return findPageById(this.deps.deliveries, [{ endpointId }], page);
  }

  /**
   * Refuses a replay to a disabled endpoint, or to one with `maxPending` deliveries pending already
   * (RATE_LIMITED: ask again once they are sent). A soft bound: replays asked at once may each pass.
   */
  private async refuseReplay(endpoint: WebhookEndpointDoc) {
    if (!endpoint.enabled)
      throw badUserInput('The endpoint is disabled: enable it before replaying', 'endpointId');
    const pending = await this.deps.deliveries.countDocuments({ endpointId: endpoint._id, state: 'PENDING' });
    if (pending >= this.limits.maxPending)
      throw new GraphQLError(
        `${pending} deliveries to this endpoint are pending (replays stop at ${this.limits.maxPending}): replay again once they are sent`,
        { extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: REPLAY_RETRY_AFTER_SECONDS } },
      );
  }

  async replayDelivery(principal: Principal, deliveryId: string): Promise<WebhookDeliveryDoc> {
    const delivery = await this.deps.deliveries.findById(deliveryId).lean<WebhookDeliveryDoc>();
    if (!delivery) throw notFound(`No webhook delivery ${deliveryId}`);
    const endpoint = await this.deps.endpoints.find(principal, delivery.endpointId);
    if (!endpoint) throw notFound(`No webhook delivery ${deliveryId}`);
    await this.refuseReplay(endpoint);
    const event = await this.deps.events.findById(delivery.eventId).lean();
    if (!event) throw notFound(`The event of delivery ${deliveryId} is no longer kept`);
    return this.deps.scheduler.schedule(endpoint._id, event, replaySuffix(), delivery._id);
  }

  /**
   * Sends again every stored event since `since` that the endpoint's filter takes now, oldest first:
   * scans the stored events in (occurredAt, id) order, page after page, until `maxReplayed` (1,000)
   * are taken or the events run out. When it stops early (that many taken, or `maxScanned` (100,000)
   * examined) it says so: `truncated`, and `nextSince`, the time to call again from (events at exactly
   * that time this call sent are sent again then, with the same `webhook-id`).
   */
  async replaySince(principal: Principal, endpointId: string, since: Date): Promise<ReplayOutcome> {
    if (Number.isNaN(since.getTime())) throw badUserInput('since is not a time', 'since');
    const endpoint = await this.deps.endpoints.visible(principal, endpointId);
    await this.refuseReplay(endpoint);
    const { taken, nextSince } = await this.eventsTaken(endpoint, since);
    const deliveries: WebhookDeliveryDoc[] = [];
    for (const event of taken)
      deliveries.push(await this.deps.scheduler.schedule(endpoint._id, event, replaySuffix()));
    return { deliveries, truncated: nextSince !== null, nextSince };
  }

  /** Up to `maxReplayed` stored events since `since` the endpoint takes, and where to go on. */
  private async eventsTaken(endpoint: WebhookEndpointDoc, since: Date) {
    const { maxReplayed, maxScanned, scanPage } = this.limits;
    const taken: StoredEventDoc[] = [];
    let scanned = 0;
    let after: StoredEventPosition | null = null;
    for (;;) {
      const page: StoredEventDoc[] = await storedEventsPage(this.deps.events, {
        since,
        after,
        limit: scanPage,
      });
      for (const event of page) {
        if (!endpointTakes(endpoint, event)) continue;
        // One more than the limit: it is where the next call starts.
        if (taken.length === maxReplayed) return { taken, nextSince: event.occurredAt };
        taken.push(event);
      }
      scanned += page.length;
      const last: StoredEventDoc | undefined = page.at(-1);
      if (page.length < scanPage || !last) return { taken, nextSince: null };
      if (scanned >= maxScanned) return { taken, nextSince: last.occurredAt };
      after = { occurredAt: last.occurredAt, _id: last._id };
    }
  }
}
