import type { Job, Jobs, Worker } from '@ies/jobs';
import type { Logger } from '@ies/logger';
import type { ChangeLog } from '@ies/change-log';
import { endpointTakes } from '../endpoint/endpoint-access';
import type { WebhookEndpointDoc } from '../endpoint/webhook-endpoint.model';
import type { WebhookEndpointService } from '../endpoint/webhook-endpoint.service';
import type { StoredEventModel } from '../events/stored-event.model';
import { checkTarget, type OutboundPolicy, type Resolver } from '../outbound/outbound-policy';
import { postTo, type PostOutcome } from '../outbound/outbound-post';
import { attemptRecord, verdictOf } from './delivery-attempt';
import { DELIVERY_QUEUE, SCHEDULE_BACKOFF, type DeliveryJobData } from './delivery-queue';
import { retryDelay } from './retry-schedule';
import { standardWebhookHeaders } from './standard-webhook-signature';
import type { DeliveryState, WebhookDeliveryModel } from './webhook-delivery.model';

export interface DeliveryWorkerDeps {
  jobs: Jobs;
  deliveries: WebhookDeliveryModel;
  events: StoredEventModel;
  endpointLog: ChangeLog<WebhookEndpointDoc>;
  endpoints: WebhookEndpointService;
  outbound: OutboundPolicy;
  resolve?: Resolver;
  schedule: readonly number[];
  attemptTimeoutMs: number;
  concurrency: number;
  logger: Logger;
}

export type DeliveryResult = 'succeeded' | 'gone' | 'cancelled' | 'skipped';

/** An attempt that failed and will be tried again (or, on the last attempt, ends the delivery). */
class AttemptFailed extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'AttemptFailed';
  }
}

/**
 * One attempt of one delivery: re-checks the endpoint (still enabled, still taking the event) and its
 * URL (DNS may have changed), signs the stored body with every secret that signs now, POSTs it,
 * records the attempt in the delivery log, and decides: 2xx succeeded; 410 Gone disables the endpoint
 * at once; anything else is retried on the schedule, and the last failure disables the endpoint.
 */
export function deliveryProcessor(deps: Omit<DeliveryWorkerDeps, 'jobs' | 'concurrency' | 'logger'>) {
  const finish = (id: string, state: DeliveryState) =>
    deps.deliveries.updateOne({ _id: id }, { $set: { state, finishedAt: new Date() } });

  return async (job: Job<DeliveryJobData>, log: Logger): Promise<DeliveryResult> => {
    const { deliveryId, endpointId, eventId } = job.data;
    const delivery = await deps.deliveries.findById(deliveryId).lean();
    if (!delivery || delivery.state !== 'PENDING') return 'skipped';
    const [endpoint, event] = await Promise.all([
      deps.endpointLog.latest(endpointId),
      deps.events.findById(eventId).lean(),
    ]);
    if (!endpoint || !event || !endpoint.enabled || !endpointTakes(endpoint, event)) {
      await finish(deliveryId, 'CANCELLED');
      return 'cancelled';
    }
    const at = new Date();
    const checked = await checkTarget(endpoint.url, deps.outbound, deps.resolve);
    const outcome: PostOutcome = checked.ok
      ? await postTo(
          checked.target,
          event.body,
          {
            ...standardWebhookHeaders(
              deps.endpoints.openSigningSecrets(endpoint, at),
              event._id,
              at,
              event.body,
            ),
          },
          deps.attemptTimeoutMs,
        )
      : { kind: 'error', message: checked.reason, latencyMs: 0 };
    await deps.deliveries.updateOne({ _id: deliveryId }, { $push: { attempts: attemptRecord(at, outcome) } });
    const verdict = verdictOf(outcome);
    if (verdict === 'succeeded') {
      await finish(deliveryId, 'SUCCEEDED');
      return 'succeeded';
    }
    if (verdict === 'gone') {
      await finish(deliveryId, 'FAILED');
      await deps.endpoints.disableBySystem(endpointId, { by: 'gone', status: 410 });
      log.warn({ endpointId, eventId }, 'endpoint answered 410 Gone: disabled');
      return 'gone';
    }
    const attempts = job.opts.attempts ?? 1;
    if (job.attemptsMade + 1 >= attempts) {
      await finish(deliveryId, 'FAILED');
      await deps.endpoints.disableBySystem(endpointId, { by: 'exhausted', attempts });
      log.warn({ endpointId, eventId, attempts }, 'delivery failed on every attempt: endpoint disabled');
    }
    throw new AttemptFailed(outcome.kind === 'response' ? `HTTP ${outcome.status}` : outcome.message);
  };
}

/** Starts the delivery worker: the processor, with backoff delays from the retry schedule. */
export async function startDeliveryWorker(
  deps: DeliveryWorkerDeps,
): Promise<Worker<DeliveryJobData, DeliveryResult>> {
  return deps.jobs.worker<DeliveryJobData, DeliveryResult>(DELIVERY_QUEUE, deliveryProcessor(deps), {
    concurrency: deps.concurrency,
    settings: {
      backoffStrategy: (attemptsMade: number, type?: string) =>
        type === SCHEDULE_BACKOFF ? retryDelay(deps.schedule, attemptsMade) : -1,
    },
  });
}
