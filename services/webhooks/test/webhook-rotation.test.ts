import { endpointApi, platformEvent, startWebhooks, type WebhooksHarness } from './webhooks-harness';
import { startReceiver, type Receiver } from './webhook-receiver';

describe('Signing secret rotation', () => {
  let h: WebhooksHarness;
  // A receiver per test: every endpoint of this file takes ContractCreated.
  let partner: Receiver;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    h = await startWebhooks('webhook_rotation');
  });
  beforeEach(async () => {
    partner = await startReceiver([200]);
    receivers.push(partner);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await h.stop();
  });

  const acme = () => endpointApi(h.partner('acme'));
  const deliverOne = async (endpointId: string) => {
    const event = platformEvent();
    const seen = partner.received.length;
    await h.intake.take(event);
    expect(await h.settled(h.liveJob(endpointId, event.id))).toBe('completed');
    const request = (await partner.requests(seen + 1))[seen]!;
    expect(request.standard['webhook-id']).toBe(event.id);
    return request;
  };

  describe('during the overlap', () => {
    it('signs with the old and the new secret, each verifying with the reference library', async () => {
      const registered = (await acme().register({ url: partner.url, eventTypes: ['ContractCreated'] })).data;
      const rotated = await acme().rotate(registered.endpoint.id, 24);
      expect(rotated.errors).toEqual([]);
      expect(rotated.data.signingSecret).not.toBe(registered.signingSecret);
      expect(rotated.data.endpoint).toMatchObject({ activeSecretCount: 2, version: 2 });
      const expires = Date.parse(rotated.data.previousSecretsExpireAt);
      expect(expires - Date.now()).toBeGreaterThan(23 * 3_600_000);
      const request = await deliverOne(registered.endpoint.id);
      expect(request.standard['webhook-signature'].split(' ')).toHaveLength(2);
      expect(partner.verifies(request, registered.signingSecret)).toBe(true);
      expect(partner.verifies(request, rotated.data.signingSecret)).toBe(true);
      const record = await h.models.changeLog
        .findOne({ subjectId: registered.endpoint.id, version: 2 })
        .lean();
      expect(record).toMatchObject({ kind: 'ROTATE_SECRET', reason: 'Signing secret rotated' });
      expect(JSON.stringify(record)).not.toContain(rotated.data.signingSecret.slice(6));
    });
  });

  describe('with no overlap', () => {
    it('signs with the new secret only', async () => {
      const registered = (await acme().register({ url: partner.url, eventTypes: ['ContractCreated'] })).data;
      const rotated = (await acme().rotate(registered.endpoint.id, 0)).data;
      expect(rotated.endpoint.activeSecretCount).toBe(1);
      const request = await deliverOne(registered.endpoint.id);
      expect(request.standard['webhook-signature'].split(' ')).toHaveLength(1);
      expect(partner.verifies(request, rotated.signingSecret)).toBe(true);
      expect(partner.verifies(request, registered.signingSecret)).toBe(false);
    });
  });

  it('refuses an overlap outside 0–168 hours with BAD_USER_INPUT', async () => {
    const registered = (await acme().register({ url: partner.url, eventTypes: ['ContractCreated'] })).data;
    for (const hours of [-1, 169])
      expect((await acme().rotate(registered.endpoint.id, hours)).code).toBe('BAD_USER_INPUT');
  });

  describe('when ten callers rotate one endpoint at once', () => {
    it('has one winner per version, CONFLICT for the others, and exactly the winners’ secrets sign', async () => {
      const registered = (await acme().register({ url: partner.url, eventTypes: ['ContractCreated'] })).data;
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => acme().rotate(registered.endpoint.id, 24)),
      );
      const winners = answers.filter((a) => a.errors.length === 0);
      const losers = answers.filter((a) => a.errors.length > 0);
      expect(winners.length).toBeGreaterThanOrEqual(1);
      for (const loser of losers) {
        expect(loser.code).toBe('CONFLICT');
        expect(loser.data).toBeNull();
      }
      const versions = winners.map((w) => w.data.endpoint.version);
      expect(new Set(versions).size).toBe(winners.length);
      const records = await h.models.changeLog.find({ subjectId: registered.endpoint.id }).lean();
      expect(records.map((r) => r.kind).sort()).toEqual(
        ['REGISTER', ...winners.map(() => 'ROTATE_SECRET')].sort(),
      );
      const now = (await acme().get(registered.endpoint.id)).data;
      expect(now).toMatchObject({ version: 1 + winners.length, activeSecretCount: 1 + winners.length });
      const request = await deliverOne(registered.endpoint.id);
      const signing = [registered.signingSecret, ...winners.map((w) => w.data.signingSecret)];
      expect(request.standard['webhook-signature'].split(' ')).toHaveLength(signing.length);
      for (const secret of signing) expect(partner.verifies(request, secret)).toBe(true);
    });
  });
});
