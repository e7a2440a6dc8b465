import { endpointApi, platformEvent, startWebhooks, type WebhooksHarness } from './webhooks-harness';

describe('Replaying every event since a time', () => {
  let h: WebhooksHarness;
  beforeAll(async () => {
    // Small limits stand in for 1,000 sent and pages of 1,000; no worker: the test reads the payload.
    h = await startWebhooks('webhook_replay', {
      worker: false,
      replayLimits: { maxReplayed: 2, scanPage: 2, maxPending: 6 },
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  describe('when the events the endpoint takes are spread among many it does not', () => {
    it('scans on past pages of others, stops at the limit, and says where the next call starts', async () => {
      const ministry = endpointApi(h.ministry);
      const registered = await ministry.register({
        url: 'http://127.0.0.1:9/hooks',
        eventTypes: ['ContractCreated'],
        catchmentIds: ['york'],
      });
      expect(registered.errors).toEqual([]);
      const endpointId = (registered.data as { endpoint: { id: string } }).endpoint.id;
      const base = Date.now() + 7_200_000;
      const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
      const catchments = ['peel', 'peel', 'peel', 'york', 'peel', 'peel', 'york', 'peel', 'york'];
      const events = catchments.map((catchmentId, i) =>
        platformEvent({ catchmentId, occurredAt: at(i + 1) }),
      );
      for (const event of events) await h.intake.take(event);
      const york = events.filter((e) => e.catchmentId === 'york');

      const first = await ministry.replaySince(endpointId, at(0));
      expect(first.errors).toEqual([]);
      expect(first.data.deliveries.map((d: any) => d.eventId)).toEqual([york[0]!.id, york[1]!.id]);
      expect(first.data).toMatchObject({ truncated: true, nextSince: york[2]!.occurredAt });

      const next = await ministry.replaySince(endpointId, first.data.nextSince);
      expect(next.data.deliveries.map((d: any) => d.eventId)).toEqual([york[2]!.id]);
      expect(next.data).toMatchObject({ truncated: false, nextSince: null });
    });
  });

  describe('when `since` is not an RFC 3339 date-time with an offset', () => {
    it('refuses it with BAD_USER_INPUT and sends nothing', async () => {
      const ministry = endpointApi(h.ministry);
      const registered = await ministry.register({
        url: 'http://127.0.0.1:9/hooks',
        eventTypes: ['ContractCreated'],
      });
      const endpointId = (registered.data as { endpoint: { id: string } }).endpoint.id;
      await h.intake.take(platformEvent({ occurredAt: new Date(Date.now() - 60_000).toISOString() }));
      // Its live delivery; a replay would add another.
      expect((await ministry.deliveries(endpointId)).data.totalCount).toBe(1);
      // "1" would be read as 2001-01-01 (everything), a time without offset in the server's zone.
      for (const since of [
        '1',
        'March 7, 2024',
        '2026-12-01',
        '2026-12-01T10:00:00',
        '2023-02-30T00:00:00Z',
      ]) {
        const refused = await ministry.replaySince(endpointId, since);
        expect({ since, code: refused.code, data: refused.data }).toEqual({
          since,
          code: 'BAD_USER_INPUT',
          data: null,
        });
      }
      expect((await ministry.deliveries(endpointId)).data.totalCount).toBe(1);
    });
  });

  describe('when an endpoint has as many deliveries pending as replays may add to', () => {
    it('refuses more replays with RATE_LIMITED, adding nothing', async () => {
      const ministry = endpointApi(h.ministry);
      const registered = await ministry.register({
        url: 'http://127.0.0.1:9/backlog',
        eventTypes: ['ContractCreated'],
      });
      const endpointId = (registered.data as { endpoint: { id: string } }).endpoint.id;
      await h.intake.take(platformEvent());
      // No worker here: every delivery stays pending. One live, five replays: six, the limit.
      const live = (await ministry.deliveries(endpointId)).data.edges[0].node.id;
      for (let i = 0; i < 5; i++) expect((await ministry.replay(live)).errors).toEqual([]);
      expect((await ministry.deliveries(endpointId)).data.totalCount).toBe(6);

      const again = await ministry.replay(live);
      expect(again.code).toBe('RATE_LIMITED');
      expect(again.errors[0]?.extensions?.retryAfterSeconds).toBe(60);
      expect(again.errors[0].message).toContain('6 deliveries to this endpoint are pending');
      const since = await ministry.replaySince(endpointId, new Date(Date.now() - 60_000).toISOString());
      expect(since.code).toBe('RATE_LIMITED');
      expect((await ministry.deliveries(endpointId)).data.totalCount).toBe(6);
    });
  });
});
