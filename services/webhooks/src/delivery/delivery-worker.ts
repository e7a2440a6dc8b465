import type { Job, Jobs, Worker } from '@ies/jobs';
import type { Logger } from '@ies/logger';
import type { ChangeLog } from '@ies/change-log';
import { endpointTakes } from '../endpoint/endpoint-access';
import type { WebhookEndpointDoc } from '../endpoint/webhook-endpoint.model';
import type { WebhookEndpointService } from '../endpoint/webhook-endpoint.service';
import type { StoredEvents } from '../events/stored-events';
import { checkTarget, type OutboundPolicy, type Resolver } from '../outbound/outbound-policy';
import { postTo, type PostOutcome } from '../outbound/outbound-post';
import { attemptRecord, exhaustionDisables, verdictOf } from './delivery-attempt';
import { DELIVERY_QUEUE, SCHEDULE_BACKOFF, type DeliveryJobData } from './delivery-queue';
import { retryDelay } from './retry-schedule';
import { standardWebhookHeaders } from './standard-webhook-signature';
import type { DeliveryState, WebhookDeliveryModel } from './webhook-delivery.model';

export interface DeliveryWorkerDeps {
  jobs: Jobs;
  deliveries: WebhookDeliveryModel;
  /** Stored events (recent ones from the intake's memory). */
  events: StoredEvents;
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
 * at once; anything else is retried on the schedule, and the last failure disables the endpoint
 * unless another delivery to it succeeded since this one's first attempt (`exhaustionDisables`).
 * The target's DNS lookup and the POST share the attempt's deadline (`attemptTimeoutMs`).
 */
export function deliveryProcessor(deps: Omit<DeliveryWorkerDeps, 'jobs' | 'concurrency' | 'logger'>) {
  /**
   * The writes of an attempt touch the row only while it is `PENDING`: a run that did not read it (the
   * first run of its job) may meet a row an earlier run finished, if Redis lost that run's record (a
   * crash under `appendfsync everysec`, a failover). True when the row was still pending.
   */
  const updatePending = async (id: string, update: object) =>
    (await deps.deliveries.updateOne({ _id: id, state: 'PENDING' }, update)).matchedCount > 0;
  const finish = (id: string, state: DeliveryState) =>
    updatePending(id, { $set: { state, finishedAt: new Date() } });
  /** Records an attempt, and when it ends the delivery, its final state, in one update. */
  const record = (id: string, attempt: ReturnType<typeof attemptRecord>, state?: DeliveryState) =>
    updatePending(
      id,
      state
        ? { $push: { attempts: attempt }, $set: { state, finishedAt: new Date() } }
        : { $push: { attempts: attempt } },
    );

  /** The delivery's row while it is still `PENDING` (a finished one is not sent again), else null. */
  const pendingDelivery = async (id: string) => {
    const delivery = await deps.deliveries.findById(id).lean();
    return delivery?.state === 'PENDING' ? delivery : null;
  };

  /** The time of a successful delivery to the endpoint finished at or after `since`, if any. */
  const lastSuccessAt = async (endpointId: string, since: Date): Promise<Date | null> => {
    const success = await deps.deliveries
      .findOne({ endpointId, state: 'SUCCEEDED', finishedAt: { $gte: since } }, { finishedAt: 1 })
      .lean();
    return success?.finishedAt ?? null;
  };

  /** The longest attempts wait for a read under way before the read they share starts anyway. */
  const FOLLOWING_READ_WAIT_MS = 1_000;
  /** Attempts begun so far: a read of an endpoint remembers how many had begun when it started. */
  let begun = 0;
  type EndpointRead = Promise<WebhookEndpointDoc | null>;
  /**
   * Per endpoint, the read under way (and how many attempts had begun when it started) and, once an
   * attempt begun after that start needs the endpoint, the read that follows it: every such attempt
   * waits for that one, which starts when the current one settles.
   */
  const endpointReads = new Map<
    string,
    { after: number; current: EndpointRead; next?: { read: EndpointRead; start(): void } }
  >();
  const startRead = (endpointId: string): EndpointRead => {
    const current = deps.endpointLog.latest(endpointId);
    const reads = { after: begun, current } as NonNullable<ReturnType<typeof endpointReads.get>>;
    endpointReads.set(endpointId, reads);
    // Shared only while in flight: a settled read is dropped (or replaced by the one that follows it),
    // so an attempt that needs the endpoint later reads afresh.
    const settled = () => {
      if (endpointReads.get(endpointId) !== reads) return;
      endpointReads.delete(endpointId);
      reads.next?.start();
    };
    current.then(settled, settled);
    return current;
  };
  /**
   * The endpoint as read by a query started after the `arrival`th attempt began: attempts to one
   * endpoint share reads (a burst begun while one read is under way costs one more read, not one
   * each), and no attempt sees its endpoint as it was before the attempt began (a disabled or narrowed
   * endpoint is never sent to from an older read).
   */
  const endpointFor = (endpointId: string, arrival: number): EndpointRead => {
    const reads = endpointReads.get(endpointId);
    if (!reads) return startRead(endpointId);
    if (reads.after >= arrival) return reads.current;
    if (!reads.next) {
      let start!: () => void;
      const read = new Promise<WebhookEndpointDoc | null>((resolve, reject) => {
        let started = false;
        start = () => {
          if (started) return;
          started = true;
          clearTimeout(timer);
          try {
            resolve(startRead(endpointId));
          } catch (error) {
            reject(error);
          }
        };
      });
      // A read that hangs holds up the attempts behind it no longer than this.
      const timer = setTimeout(start, FOLLOWING_READ_WAIT_MS);
      reads.next = { read, start };
    }
    return reads.next.read;
  };

  return async (job: Job<DeliveryJobData>, log: Logger): Promise<DeliveryResult> => {
    const arrival = ++begun;
    const { deliveryId, endpointId, eventId } = job.data;
    const delivery = firstRunOfInsertedRow(job) ? { attempts: [] } : await pendingDelivery(deliveryId);
    if (!delivery) return 'skipped';
    const [endpoint, event] = await Promise.all([
      endpointFor(endpointId, arrival),
      deps.events.byId(eventId),
    ]);
    if (!endpoint || !event || !endpoint.enabled || !endpointTakes(endpoint, event)) {
      return (await finish(deliveryId, 'CANCELLED')) ? 'cancelled' : 'skipped';
    }
    const at = new Date();
    const started = performance.now();
    const checked = await checkTarget(endpoint.url, deps.outbound, deps.resolve, deps.attemptTimeoutMs);
    const remainingMs = Math.max(1, Math.round(deps.attemptTimeoutMs - (performance.now() - started)));
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
          remainingMs,
        )
      : { kind: 'error', message: checked.reason, latencyMs: Math.round(performance.now() - started) };
    const attempt = attemptRecord(at, outcome);
    const verdict = verdictOf(outcome);
    const attempts = job.opts.attempts ?? 1;
    const last = job.attemptsMade + 1 >= attempts;
    const final = verdict === 'succeeded' ? 'SUCCEEDED' : verdict === 'gone' || last ? 'FAILED' : undefined;
    const recorded = await record(deliveryId, attempt, final);
    // Sent again (at least once: the receiver takes the webhook-id once); the log stays as it was.
    if (!recorded)
      log.warn(
        { deliveryId, eventId },
        'delivery finished by an earlier run: sent again, log left as it was',
      );
    // A 410 speaks of the endpoint, whatever became of this delivery.
    if (verdict === 'gone') {
      await deps.endpoints.disableBySystem(endpointId, { by: 'gone', status: 410 });
      log.warn({ endpointId, eventId }, 'endpoint answered 410 Gone: disabled');
    }
    if (!recorded) return 'skipped';
    if (verdict === 'succeeded') return 'succeeded';
    if (verdict === 'gone') return 'gone';
    if (last) {
      const firstAttemptAt = delivery.attempts[0]?.at ?? at;
      if (exhaustionDisables(firstAttemptAt, await lastSuccessAt(endpointId, firstAttemptAt))) {
        await deps.endpoints.disableBySystem(endpointId, { by: 'exhausted', attempts });
        log.warn({ endpointId, eventId, attempts }, 'delivery failed on every attempt: endpoint disabled');
      } else {
        log.warn(
          { endpointId, eventId, attempts },
          'delivery failed on every attempt; the endpoint took other deliveries since: left enabled',
        );
      }
    }
    throw new AttemptFailed(outcome.kind === 'response' ? `HTTP ${outcome.status}` : outcome.message);
  };
}

/**
 * The job's first run, added by the call that inserted its row: the row is `PENDING` with no attempts,
 * since only this job's runs write it. Any later run (a retry, a run again after its worker stalled or
 * died, a job retried by hand) reads the row, which an earlier run may have finished.
 */
export const firstRunOfInsertedRow = (
  job: Pick<Job<DeliveryJobData>, 'id' | 'data' | 'attemptsMade' | 'attemptsStarted' | 'stalledCounter'>,
) =>
  job.data.inserted === job.id &&
  job.attemptsStarted === 1 &&
  job.attemptsMade === 0 &&
  job.stalledCounter === 0;

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
