import { Webhook } from 'standardwebhooks';
import { CommandCounter } from '@ies/db';
import { DELIVERY_QUEUE, type DeliveryJobData } from '../src/delivery/delivery-queue';
import { firstRunOfInsertedRow } from '../src/delivery/delivery-worker';
import { endpointApi, platformEvent, startWebhooks, type WebhooksHarness } from './webhooks-harness';
import { startReceiver, type Receiver } from './webhook-receiver';

describe('Webhook delivery', () => {
  let h: WebhooksHarness;
  const receivers: Receiver[] = [];
  const receiver = async (...answers: Parameters<typeof startReceiver>[0] & unknown[]) => {
    const started = await startReceiver(answers.length ? answers : undefined);
    receivers.push(started);
    return started;
  };
  beforeAll(async () => {
    h = await startWebhooks('webhook_delivery');
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await h.stop();
  });

  const ministry = () => endpointApi(h.ministry);
  const register = async (url: string, input: Record<string, unknown> = {}) => {
    const registered = await ministry().register({ url, eventTypes: ['ContractCreated'], ...input });
    expect(registered.errors).toEqual([]);
    return registered.data as { signingSecret: string; endpoint: { id: string } };
  };

  describe('when an event matches an enabled endpoint', () => {
    it('POSTs the event JSON with Standard Webhooks headers the reference library verifies', async () => {
      const partner = await receiver(200);
      const { signingSecret, endpoint } = await register(partner.url);
      const event = platformEvent();
      await h.intake.take(event);
      expect(await h.settled(h.liveJob(endpoint.id, event.id))).toBe('completed');
      const [request] = await partner.requests(1);
      expect(partner.verify(request!, signingSecret)).toMatchObject({
        id: event.id,
        type: 'ContractCreated',
      });
      expect(request!.standard['webhook-id']).toBe(event.id);
      expect(request!.standard['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
      expect(request!.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request!.body)).toEqual(event);
      const log = (await ministry().deliveries(endpoint.id)).data;
      expect(log.edges.map((e: any) => e.node)).toEqual([
        expect.objectContaining({ eventId: event.id, eventType: 'ContractCreated', state: 'SUCCEEDED' }),
      ]);
      expect(log.edges[0].node.attempts).toEqual([
        expect.objectContaining({ status: 200, responseExcerpt: 'ok', error: null }),
      ]);
    });

    it('does not deliver an event to an endpoint whose types or catchments do not take it', async () => {
      const partner = await receiver(200);
      const { endpoint } = await register(partner.url, { catchmentIds: ['peel'] });
      await h.intake.take(platformEvent({ catchmentId: 'durham' }));
      await h.intake.take(platformEvent({ type: 'AgreementCreated', catchmentId: 'peel' }));
      const taken = platformEvent({ catchmentId: 'peel' });
      await h.intake.take(taken);
      expect(await h.settled(h.liveJob(endpoint.id, taken.id))).toBe('completed');
      expect(await h.models.deliveries.countDocuments({ endpointId: endpoint.id })).toBe(1);
      expect(partner.received.map((r) => r.standard['webhook-id'])).toEqual([taken.id]);
    });

    it('delivers an event taken in with others at once to every endpoint, and to one registered just before the next event', async () => {
      // A type no other test's endpoint takes.
      const amended = () => platformEvent({ type: 'AgreementAmended' });
      const first = await receiver(200);
      const { endpoint: a } = await register(first.url, { eventTypes: ['AgreementAmended'] });
      // Sixteen events at once share one read of the enabled endpoints.
      const burst = Array.from({ length: 16 }, amended);
      expect(await Promise.all(burst.map((event) => h.intake.take(event)))).toEqual(burst.map(() => 1));
      const second = await receiver(200);
      const { endpoint: b } = await register(second.url, { eventTypes: ['AgreementAmended'] });
      const next = amended();
      expect(await Promise.all([h.intake.take(amended()), h.intake.take(next)])).toEqual([2, 2]);
      expect(await h.settled(h.liveJob(b.id, next.id))).toBe('completed');
      expect(await h.settled(h.liveJob(a.id, next.id))).toBe('completed');
      for (const event of burst) expect(await h.settled(h.liveJob(a.id, event.id))).toBe('completed');
    });

    it('stores the events of a burst and their deliveries in one insert each, and sends them without reading the events again', async () => {
      const partner = await receiver(200);
      // A type no other test's endpoint takes.
      const { endpoint, signingSecret } = await register(partner.url, { eventTypes: ['DisputeOpened'] });
      const burst = Array.from({ length: 8 }, () => platformEvent({ type: 'DisputeOpened' }));
      const commands = new CommandCounter(h.connection);
      try {
        expect(await Promise.all(burst.map((event) => h.intake.take(event)))).toEqual(burst.map(() => 1));
        for (const event of burst)
          expect(await h.settled(h.liveJob(endpoint.id, event.id))).toBe('completed');
        expect(commands.count('insert', 'webhook_events')).toBe(1);
        expect(commands.count('insert', 'webhook_deliveries')).toBe(1);
        // Each attempt took its event from the intake's memory, and knew its just-inserted row was
        // pending without reading it.
        expect(commands.count('find', 'webhook_events')).toBe(0);
        expect(commands.count('find', 'webhook_deliveries')).toBe(0);
      } finally {
        commands.dispose();
      }
      const received = await partner.requests(8);
      expect(new Set(received.map((r) => r.standard['webhook-id']))).toEqual(new Set(burst.map((e) => e.id)));
      for (const request of received) {
        expect(partner.verifies(request, signingSecret)).toBe(true);
        const sent = burst.find((e) => e.id === request.standard['webhook-id'])!;
        expect(JSON.parse(request.body)).toEqual(sent);
      }
    });

    it('does not send a finished delivery again when its job runs once more', async () => {
      const partner = await receiver(200);
      const { endpoint } = await register(partner.url, { eventTypes: ['DisputeResolved'] });
      const event = platformEvent({ type: 'DisputeResolved' });
      await h.intake.take(event);
      const jobId = h.liveJob(endpoint.id, event.id);
      expect(await h.settled(jobId)).toBe('completed');
      const queue = await h.jobs.queue<DeliveryJobData>(DELIVERY_QUEUE);
      const job = (await queue.getJob(jobId))!;
      expect(job.data.inserted).toBe(jobId);
      expect(job.returnvalue).toBe('succeeded');
      // The same job run again (retried by hand from the queue board; a run after a stall is the same
      // to the worker): this run is not the first, so it reads the row, finds it finished, sends nothing.
      await job.retry('completed');
      expect(await h.settled(jobId)).toBe('completed');
      const again = (await queue.getJob(jobId))!;
      expect(again.attemptsStarted).toBe(2);
      expect(again.returnvalue).toBe('skipped');
      expect(partner.received).toHaveLength(1);
      const log = (await ministry().deliveries(endpoint.id)).data;
      expect(log.totalCount).toBe(1);
    });

    it('takes the same event twice as one delivery', async () => {
      const partner = await receiver(200);
      const { endpoint, signingSecret } = await register(partner.url);
      const event = platformEvent();
      await Promise.all([h.intake.take(event), h.intake.take(event)]);
      expect(await h.settled(h.liveJob(endpoint.id, event.id))).toBe('completed');
      await h.intake.take(event);
      const log = (await ministry().deliveries(endpoint.id)).data;
      expect(log.totalCount).toBe(1);
      expect(partner.received).toHaveLength(1);
      expect(partner.verifies(partner.received[0]!, signingSecret)).toBe(true);
    });
  });

  describe('when the receiver fails twice, then answers 2xx', () => {
    it('retries on the schedule with the same webhook-id, logs every attempt, and succeeds', async () => {
      const partner = await receiver(500, 503, 202);
      const { endpoint, signingSecret } = await register(partner.url);
      const event = platformEvent();
      await h.intake.take(event);
      expect(await h.settled(h.liveJob(endpoint.id, event.id))).toBe('completed');
      const requests = await partner.requests(3);
      for (const request of requests) {
        expect(request.standard['webhook-id']).toBe(event.id);
        expect(partner.verifies(request, signingSecret)).toBe(true);
      }
      const [delivery] = (await ministry().deliveries(endpoint.id)).data.edges.map((e: any) => e.node);
      expect(delivery.state).toBe('SUCCEEDED');
      expect(delivery.attempts.map((a: any) => a.status)).toEqual([500, 503, 202]);
      expect(delivery.attempts[0].responseExcerpt).toBe('refused with 500');
      expect((await ministry().get(endpoint.id)).data.enabled).toBe(true);
    });
  });

  describe('when the receiver answers 410 Gone', () => {
    it('disables the endpoint at once, in a change-log record carrying WebhookEndpointDisabled', async () => {
      const partner = await receiver(410);
      const { endpoint } = await register(partner.url);
      const event = platformEvent();
      await h.intake.take(event);
      expect(await h.settled(h.liveJob(endpoint.id, event.id))).toBe('completed');
      expect(partner.received).toHaveLength(1);
      const now = (await ministry().get(endpoint.id)).data;
      expect(now).toMatchObject({ enabled: false, disabledReason: 'The endpoint answered 410 Gone' });
      const record = await h.models.changeLog.findOne({ subjectId: endpoint.id, kind: 'DISABLE' }).lean();
      expect(record).toMatchObject({ byRole: 'SYSTEM', published: false });
      expect(record!.events).toEqual([
        expect.objectContaining({
          type: 'WebhookEndpointDisabled',
          data: expect.objectContaining({
            endpointId: endpoint.id,
            reason: 'The endpoint answered 410 Gone',
          }),
        }),
      ]);
      // A disabled endpoint takes nothing more.
      await h.intake.take(platformEvent());
      expect(await h.models.deliveries.countDocuments({ endpointId: endpoint.id })).toBe(1);
    });
  });

  describe('when every attempt of the schedule fails', () => {
    it('fails the delivery, disables the endpoint and emits WebhookEndpointDisabled', async () => {
      const partner = await receiver(500);
      const { endpoint } = await register(partner.url);
      const event = platformEvent();
      await h.intake.take(event);
      expect(await h.settled(h.liveJob(endpoint.id, event.id))).toBe('failed');
      expect(partner.received).toHaveLength(4); // the first attempt and one per delay of [20, 20, 20]
      const [delivery] = (await ministry().deliveries(endpoint.id)).data.edges.map((e: any) => e.node);
      expect(delivery.state).toBe('FAILED');
      expect(delivery.attempts).toHaveLength(4);
      const now = (await ministry().get(endpoint.id)).data;
      expect(now).toMatchObject({
        enabled: false,
        disabledReason: 'Every one of 4 delivery attempts failed',
      });
      const record = await h.models.changeLog.findOne({ subjectId: endpoint.id, kind: 'DISABLE' }).lean();
      expect(record!.events.map((e) => e.type)).toEqual(['WebhookEndpointDisabled']);
    });
  });

  describe('when one delivery fails on every attempt while another to the endpoint succeeds', () => {
    it('fails that delivery and leaves the endpoint enabled', async () => {
      let release: () => void = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const failing = platformEvent();
      const taken = platformEvent();
      let failingAttempts = 0;
      // The failing event is refused every time; its second attempt is answered only once the other
      // event's delivery has succeeded. The other event is taken at once.
      const partner = await receiver((response, request) => {
        const answer = (status: number) => {
          response.statusCode = status;
          response.end(status >= 300 ? 'still failing' : 'ok');
        };
        if (request.standard['webhook-id'] !== failing.id) return answer(200);
        failingAttempts += 1;
        if (failingAttempts === 2) void released.then(() => answer(500));
        else answer(500);
      });
      const { endpoint } = await register(partner.url);
      await h.intake.take(failing);
      await partner.requests(2);
      await h.intake.take(taken);
      expect(await h.settled(h.liveJob(endpoint.id, taken.id))).toBe('completed');
      release();
      expect(await h.settled(h.liveJob(endpoint.id, failing.id))).toBe('failed');

      const states = (await ministry().deliveries(endpoint.id)).data.edges.map((e: any) => [
        e.node.eventId,
        e.node.state,
      ]);
      expect(states).toEqual([
        [failing.id, 'FAILED'],
        [taken.id, 'SUCCEEDED'],
      ]);
      expect((await ministry().get(endpoint.id)).data).toMatchObject({ enabled: true, disabledReason: null });
      expect(await h.models.changeLog.countDocuments({ subjectId: endpoint.id, kind: 'DISABLE' })).toBe(0);
    });
  });

  describe('when the receiver redirects', () => {
    it('does not follow the redirect: a 3xx is a failed attempt', async () => {
      const target = await receiver(200);
      const redirecting = await receiver((response) => {
        response.statusCode = 302;
        response.setHeader('location', target.url);
        response.end();
      }, 200);
      const { endpoint } = await register(redirecting.url);
      const event = platformEvent();
      await h.intake.take(event);
      expect(await h.settled(h.liveJob(endpoint.id, event.id))).toBe('completed');
      expect(target.received).toHaveLength(0);
      const [delivery] = (await ministry().deliveries(endpoint.id)).data.edges.map((e: any) => e.node);
      expect(delivery.attempts.map((a: any) => a.status)).toEqual([302, 200]);
    });
  });

  describe('when the receiver answers a large body', () => {
    it('keeps at most 1 KB of it in the log', async () => {
      const partner = await receiver((response) => {
        response.statusCode = 200;
        response.end('x'.repeat(100_000));
      });
      const { endpoint } = await register(partner.url);
      const event = platformEvent();
      await h.intake.take(event);
      expect(await h.settled(h.liveJob(endpoint.id, event.id))).toBe('completed');
      const [delivery] = (await ministry().deliveries(endpoint.id)).data.edges.map((e: any) => e.node);
      expect(delivery.attempts[0].responseExcerpt).toBe('x'.repeat(1024));
    });
  });

  describe('replay', () => {
    it('sends one delivery again with the same webhook-id, as a new delivery of the log', async () => {
      const partner = await receiver(200);
      const { endpoint, signingSecret } = await register(partner.url);
      const event = platformEvent();
      await h.intake.take(event);
      expect(await h.settled(h.liveJob(endpoint.id, event.id))).toBe('completed');
      const [first] = (await ministry().deliveries(endpoint.id)).data.edges.map((e: any) => e.node);
      const replay = await ministry().replay(first.id);
      expect(replay.errors).toEqual([]);
      expect(replay.data).toMatchObject({ eventId: event.id, replayOf: first.id, state: 'PENDING' });
      expect(await h.settled(await h.jobOf(replay.data.id))).toBe('completed');
      const [original, again] = await partner.requests(2);
      expect(again!.standard['webhook-id']).toBe(event.id);
      expect(again!.body).toBe(original!.body);
      expect(partner.verifies(again!, signingSecret)).toBe(true);
      expect((await ministry().deliveries(endpoint.id)).data.totalCount).toBe(2);
    });

    it('sends every event since a time that the endpoint takes, oldest first', async () => {
      const partner = await receiver(200);
      const { endpoint, signingSecret } = await register(partner.url, { catchmentIds: ['york'] });
      const base = Date.now() + 3_600_000;
      const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
      const events = [
        platformEvent({ catchmentId: 'york', occurredAt: at(1) }),
        platformEvent({ catchmentId: 'york', occurredAt: at(2) }),
        platformEvent({ catchmentId: 'peel', occurredAt: at(3) }),
        platformEvent({ catchmentId: 'york', occurredAt: at(4) }),
      ];
      for (const event of events) await h.intake.take(event);
      for (const event of [events[0]!, events[1]!, events[3]!])
        expect(await h.settled(h.liveJob(endpoint.id, event.id))).toBe('completed');
      const replayed = await ministry().replaySince(endpoint.id, at(2));
      expect(replayed.errors).toEqual([]);
      expect(replayed.data.deliveries.map((d: any) => d.eventId)).toEqual([events[1]!.id, events[3]!.id]);
      expect(replayed.data).toMatchObject({ truncated: false, nextSince: null });
      for (const delivery of replayed.data.deliveries)
        expect(await h.settled(await h.jobOf(delivery.id))).toBe('completed');
      const requests = await partner.requests(5);
      // Deliveries run concurrently: the replays arrive in any order.
      expect(
        requests
          .slice(3)
          .map((r) => r.standard['webhook-id'])
          .sort(),
      ).toEqual([events[1]!.id, events[3]!.id].sort());
      for (const request of requests) expect(partner.verifies(request, signingSecret)).toBe(true);
    });

    it('refuses to replay to a disabled endpoint', async () => {
      const partner = await receiver(200);
      const { endpoint } = await register(partner.url);
      await ministry().disable(endpoint.id, 'maintenance');
      const refused = await ministry().replaySince(endpoint.id, new Date(0).toISOString());
      expect(refused.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('Standard Webhooks signatures', () => {
    it('are rejected by the reference library under another secret or a changed body', async () => {
      const partner = await receiver(200);
      const { endpoint, signingSecret } = await register(partner.url);
      const event = platformEvent();
      await h.intake.take(event);
      expect(await h.settled(h.liveJob(endpoint.id, event.id))).toBe('completed');
      const [request] = await partner.requests(1);
      const other = (await register(partner.url)).signingSecret;
      expect(partner.verifies(request!, other)).toBe(false);
      expect(() =>
        new Webhook(signingSecret).verify(request!.body.replace('durham', 'peel'), request!.standard),
      ).toThrow();
    });
  });
});

describe('firstRunOfInsertedRow', () => {
  const run = (
    over: Partial<{
      id: string;
      inserted: string;
      attemptsStarted: number;
      attemptsMade: number;
      stalledCounter: number;
    }>,
  ) =>
    firstRunOfInsertedRow({
      id: over.id ?? 'job-1',
      data: {
        deliveryId: 'd',
        endpointId: 'e',
        eventId: 'v',
        ...(over.inserted ? { inserted: over.inserted } : {}),
      },
      attemptsStarted: over.attemptsStarted ?? 1,
      attemptsMade: over.attemptsMade ?? 0,
      stalledCounter: over.stalledCounter ?? 0,
    });

  it('is true only for the first run of the job added with the row it inserted', () => {
    expect(run({ inserted: 'job-1' })).toBe(true);
    // Added for a row found already there (a second intake, the sweeper): read it.
    expect(run({})).toBe(false);
    // A copy of that job under another id.
    expect(run({ id: 'job-2', inserted: 'job-1' })).toBe(false);
    // A retry after a failed attempt.
    expect(run({ inserted: 'job-1', attemptsStarted: 2, attemptsMade: 1 })).toBe(false);
    // Run again after its worker stalled or died mid-attempt (the row may be finished).
    expect(run({ inserted: 'job-1', attemptsStarted: 2, stalledCounter: 1 })).toBe(false);
    // Retried by hand with its started count reset, but its stall kept.
    expect(run({ inserted: 'job-1', attemptsStarted: 1, stalledCounter: 1 })).toBe(false);
  });
});
