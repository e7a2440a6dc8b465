import type { Connection, Model } from 'mongoose';
import { changeRecordModel, type ChangeLog, type ChangeRecord } from '@ies/change-log';
import { freePort } from '@ies/engines';
import type { Redis } from '@ies/redis';
import { testEngines, uniqueName } from '@ies/testkit';
import {
  attachEventPublisher,
  eventStreamKey,
  parseStreamEntry,
  publishedVersionKey,
  relayOutbox,
  type EventPublisher,
  type PlatformEvent,
  type StreamEntry,
} from '../src';
import {
  actor,
  closeDisputeLog,
  emptyOutbox,
  openDispute,
  openDisputeLog,
  silentLogger,
  type DisputeDoc,
} from './event-fixtures';

describe('Writers publishing their own changes (attachEventPublisher)', () => {
  const prefix = uniqueName('events_writers');
  let connection: Connection;
  let disputes: Model<DisputeDoc>;
  let redis: Redis;
  let log: ChangeLog<DisputeDoc>;
  let publisher: EventPublisher | null = null;
  let nextId = 0;

  let opened: Awaited<ReturnType<typeof openDisputeLog>> | undefined;

  beforeAll(async () => {
    opened = await openDisputeLog('events_writers');
    ({ connection, disputes, redis, log } = opened);
  });
  afterEach(async () => {
    await publisher?.stop();
    publisher = null;
    await emptyOutbox(connection);
  });
  afterAll(() => closeDisputeLog(opened, prefix));

  const attach = (redisUrl = testEngines().redisUrl) => {
    publisher = attachEventPublisher({
      connection,
      redisUrl,
      prefix,
      service: 'disputes',
      logger: silentLogger,
    });
  };
  const newDispute = () => openDispute(log, `dsp-${++nextId}`, { notes: 0 });
  const addNote = (id: string) =>
    log.change(actor, id, { reason: 'noted' }, (current) => ({
      kind: 'NOTE',
      before: { notes: current.notes },
      after: { notes: (current.notes ?? 0) + 1 },
      set: { notes: (current.notes ?? 0) + 1 },
      events: [{ type: 'DisputeNoted', catchmentId: current.catchmentId }],
    }));
  const recordsOf = (id: string) =>
    changeRecordModel(connection).find({ subjectId: id }).sort({ version: 1 }).lean<ChangeRecord[]>();
  const streamEventsOf = async (id: string): Promise<PlatformEvent[]> =>
    ((await redis.xrange(eventStreamKey(prefix), '-', '+')) as StreamEntry[])
      .map((entry) => parseStreamEntry(entry)!)
      .filter((event) => event.subject.id === id);

  it('puts a change on the stream before the change returns, and marks its record published and projected', async () => {
    attach();
    const id = await newDispute();
    expect((await addNote(id)).status).toBe('applied');
    // No relay ran: the writer published both versions itself, in order.
    const events = await streamEventsOf(id);
    expect(events.map((e) => [e.type, e.version, e.service])).toEqual([
      ['DisputeOpened', 1, 'disputes'],
      ['DisputeNoted', 2, 'disputes'],
    ]);
    const records = await recordsOf(id);
    expect(records.map((r) => [r.version, r.projected, r.published])).toEqual([
      [1, true, true],
      [2, true, true],
    ]);
    expect(events.map((e) => e.id)).toEqual(records.flatMap((r) => r.events.map((e) => e.id)));
    expect(await redis.get(publishedVersionKey(prefix, `Dispute:${id}`))).toBe('2');
    // And the relay finds nothing left to publish.
    expect((await relayOutbox({ service: 'disputes', connection, redis, prefix })).relayed).toBe(0);
  });

  it("leaves a change to the relay when the subject's previous version is not known published, so the subject's events stay in version order", async () => {
    const id = await newDispute(); // no publisher yet: version 1 waits for the relay
    attach();
    expect((await addNote(id)).status).toBe('applied');
    expect(await streamEventsOf(id)).toEqual([]);
    expect((await recordsOf(id)).map((r) => [r.version, r.projected, r.published])).toEqual([
      [1, true, false],
      [2, true, false],
    ]);
    expect((await relayOutbox({ service: 'disputes', connection, redis, prefix })).relayed).toBe(2);
    expect((await streamEventsOf(id)).map((e) => e.version)).toEqual([1, 2]);
    // The relay recorded the subject's published version: the next change is the writer's again.
    expect((await addNote(id)).status).toBe('applied');
    expect((await streamEventsOf(id)).map((e) => e.version)).toEqual([1, 2, 3]);
    expect((await recordsOf(id)).at(-1)!.published).toBe(true);
  });

  it('applies changes while Redis does not answer, and leaves their events to the relay', async () => {
    attach(`redis://127.0.0.1:${await freePort()}`); // nothing listens there
    const id = await newDispute();
    expect((await addNote(id)).status).toBe('applied');
    expect(await streamEventsOf(id)).toEqual([]);
    expect((await recordsOf(id)).map((r) => r.published)).toEqual([false, false]);
    expect((await relayOutbox({ service: 'disputes', connection, redis, prefix })).relayed).toBe(2);
    expect((await streamEventsOf(id)).map((e) => e.version)).toEqual([1, 2]);
  });

  it('keeps version order and loses nothing while writers, a reader and the relay work on one subject at once', async () => {
    attach();
    const id = await newDispute();
    let writing = true;
    /** Each writer applies its changes one after another, retrying a version another writer won. */
    const writer = async () => {
      for (let applied = 0; applied < 5;) {
        const outcome = await addNote(id);
        if (outcome.status === 'applied') applied++;
        else expect(outcome.status).toBe('conflict');
      }
    };
    const relayLoop = async () => {
      while (writing) await relayOutbox({ service: 'disputes', connection, redis, prefix });
    };
    const readerLoop = async () => {
      while (writing) expect(await log.latest(id)).not.toBeNull();
    };
    const loops = Promise.all([relayLoop(), readerLoop()]);
    await Promise.all(Array.from({ length: 4 }, writer)).finally(() => (writing = false));
    await loops;
    // Whatever the writers could not publish, the relay does; then every version is on the stream once
    // at least, and each first arrives in version order.
    while ((await relayOutbox({ service: 'disputes', connection, redis, prefix })).relayed > 0);
    const versions = (await streamEventsOf(id)).map((e) => e.version);
    const firstArrivals = versions.filter((v, i) => versions.indexOf(v) === i);
    expect(firstArrivals).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(await changeRecordModel(connection).countDocuments({ subjectId: id, published: false })).toBe(0);
    expect((await disputes.findById(id).lean())!.notes).toBe(20);
  });
});
