import type { Connection } from 'mongoose';
import {
  changeRecordModel,
  domainEvent,
  openBatchModel,
  recordId,
  subjectKey,
  ChangeLog,
  type ChangeRecord,
} from '@ies/change-log';
import pino from 'pino';
import type { Redis } from '@ies/redis';
import { uniqueName } from '@ies/testkit';
import {
  consumeEventGroup,
  eventStreamKey,
  markPublished,
  parseStreamEntry,
  publishEvents,
  readOutbox,
  relayOutbox,
  startEventRelay,
  type PlatformEvent,
  type StreamEntry,
} from '../src';
import {
  actor,
  anEvent,
  Arrivals,
  counts,
  closeDisputeLog,
  emptyOutbox,
  openDispute,
  openDisputeLog,
  silentLogger,
  type DisputeDoc,
} from './event-fixtures';

describe('The events relay', () => {
  const prefix = uniqueName('events_relay');
  let connection: Connection;
  let redis: Redis;
  let log: ChangeLog<DisputeDoc>;
  let nextId = 0;
  const running: { stop(): Promise<void> }[] = [];

  let opened: Awaited<ReturnType<typeof openDisputeLog>> | undefined;

  beforeAll(async () => {
    opened = await openDisputeLog('events_relay');
    ({ connection, redis, log } = opened);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
    // Its records are relayed or marked by then.
    await emptyOutbox(connection);
  });
  afterAll(() => closeDisputeLog(opened, prefix));

  const newDispute = (catchmentId = 'peel') => openDispute(log, `dsp-${++nextId}`, { catchmentId });
  const acknowledge = (id: string) =>
    log.change(actor, id, { reason: 'seen' }, (current) => ({
      kind: 'ACKNOWLEDGE',
      before: { status: current.status },
      after: { status: 'ACKNOWLEDGED' },
      set: { status: 'ACKNOWLEDGED' },
      events: [{ type: 'DisputeAcknowledged', catchmentId: current.catchmentId }],
    }));
  const eventsOf = async (ids: string[]) =>
    (
      await changeRecordModel(connection)
        .find({ subjectId: { $in: ids } })
        .lean<ChangeRecord[]>()
    ).flatMap((record) => record.events);

  /** A consumer group reading the stream, and the event ids it handled. */
  async function consumer(group: string) {
    const handled = new Arrivals<PlatformEvent>();
    const reader = consumeEventGroup({
      redis,
      prefix,
      group,
      consumer: 'c1',
      logger: silentLogger,
      handle: async (event) => handled.push(event),
    });
    running.push(reader);
    await reader.ready;
    return handled;
  }
  /** Publishes a last event and awaits it: one consumer handles in stream order, so all before it are done. */
  async function drain(handled: Arrivals<PlatformEvent>) {
    const last = anEvent({ type: 'TestDrained' });
    await publishEvents(redis, prefix, 'test', [last]);
    await handled.until((events) => events.some((e) => e.id === last.id));
    return handled.items.filter((e) => e.id !== last.id);
  }
  const streamEventIds = async () =>
    ((await redis.xrange(eventStreamKey(prefix), '-', '+')) as StreamEntry[]).map(
      (entry) => parseStreamEntry(entry)!.id,
    );

  describe('when three relays run at once over the same change log', () => {
    it('publishes every event of every record, and a consumer group sees each event id exactly once', async () => {
      const handled = await consumer('g-three-relays');
      for (let i = 0; i < 3; i++) {
        running.push(
          startEventRelay({
            service: 'disputes',
            connection,
            redis,
            prefix,
            logger: silentLogger,
            pollMs: 5,
            batchSize: 7,
          }),
        );
      }
      // One change at a time (PostgreSQL's connections are few): the relays poll while they happen.
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) ids.push(await newDispute());
      for (const id of ids.slice(0, 10)) await acknowledge(id);
      const expected = (await eventsOf(ids)).map((e) => e.id);
      expect(expected).toHaveLength(35);
      await handled.until((events) => expected.every((id) => events.some((e) => e.id === id)));
      await Promise.all(running.splice(1).map((relay) => relay.stop()));

      const seen = await drain(handled);
      expect(counts(seen.map((e) => e.id))).toEqual(new Map(expected.map((id) => [id, 1])));
      expect(
        await changeRecordModel(connection).countDocuments({ subjectId: { $in: ids }, published: false }),
      ).toBe(0);
      // Each subject's events arrive in version order, all of them from the disputes service.
      for (const id of ids.slice(0, 10)) {
        const ofSubject = seen.filter((e) => e.subject.id === id);
        expect(ofSubject.map((e) => [e.type, e.version])).toEqual([
          ['DisputeOpened', 1],
          ['DisputeAcknowledged', 2],
        ]);
      }
      expect(new Set(seen.map((e) => e.service))).toEqual(new Set(['disputes']));
    });
  });

  describe('when a relay crashes between publishing and marking', () => {
    it('publishes the records again on the next pass, and the consumer group still handles each event once', async () => {
      const handled = await consumer('g-crash');
      const ids = [await newDispute(), await newDispute()];
      await acknowledge(ids[0]!);
      // The crashed relay's first step: published, never marked.
      const { ready } = await readOutbox(connection);
      await publishEvents(
        redis,
        prefix,
        'disputes',
        ready.flatMap((record) => record.events),
      );
      // The next relay's pass.
      expect((await relayOutbox({ service: 'disputes', connection, redis, prefix })).relayed).toBe(3);
      const expected = (await eventsOf(ids)).map((e) => e.id);
      const inStream = counts(await streamEventIds());
      expect(expected.map((id) => inStream.get(id))).toEqual([2, 2, 2]);
      expect(counts((await drain(handled)).map((e) => e.id))).toEqual(new Map(expected.map((id) => [id, 1])));
      expect((await relayOutbox({ service: 'disputes', connection, redis, prefix })).relayed).toBe(0);
    });
  });

  describe('when a batch import is still open', () => {
    it('publishes none of its records until the batch closes', async () => {
      const outcomes = await log.createMany(
        actor,
        ['b-1', 'b-2'].map((id) => ({
          state: { _id: `${id}-${nextId++}`, catchmentId: 'peel', status: 'OPEN' },
          change: {
            kind: 'OPEN',
            reason: 'imported',
            events: [{ type: 'DisputeOpened', catchmentId: 'peel' }],
          },
        })),
      );
      expect(outcomes).toEqual(['created', 'created']);
      const [record] = await changeRecordModel(connection)
        .find({ published: false, batch: { $exists: true } })
        .lean();
      // The state while the import runs: its marker exists.
      await openBatchModel(connection).create({
        _id: record!.batch!,
        subjectType: 'Dispute',
        openedAt: new Date(),
      });
      const openDisputeId = await newDispute();
      const pass = await relayOutbox({ service: 'disputes', connection, redis, prefix });
      expect(pass.relayed).toBe(1);
      expect(
        await changeRecordModel(connection).countDocuments({ batch: record!.batch, published: false }),
      ).toBe(2);
      expect(
        await changeRecordModel(connection).countDocuments({ subjectId: openDisputeId, published: true }),
      ).toBe(1);

      await openBatchModel(connection).deleteOne({ _id: record!.batch });
      expect((await relayOutbox({ service: 'disputes', connection, redis, prefix })).relayed).toBe(2);
    });
  });

  /** A change-log record as a writer inserts it, before its projection (`projected: false`). */
  const unprojectedRecord = (
    id: string,
    version: number,
    type: string,
    at = new Date(),
  ): ChangeRecord<DisputeDoc> => ({
    _id: recordId('Dispute', id, version),
    subject: subjectKey('Dispute', id),
    subjectType: 'Dispute',
    subjectId: id,
    version,
    kind: type,
    at,
    asOf: null,
    bySubject: actor.subject,
    byRole: actor.role,
    reason: 'test',
    before: null,
    after: {},
    state: { _id: id, catchmentId: 'peel', status: 'OPEN', version },
    events: [domainEvent({ type, catchmentId: 'peel' }, { typename: 'Dispute', id }, version, at)],
    projected: false,
    published: false,
  });

  describe('when records are not projected yet', () => {
    it('holds each until it is projected, whatever its version, and publishes a subject’s records in version order', async () => {
      const id = `dsp-${++nextId}`;
      const at = new Date();
      const record = (version: number, type: string) => unprojectedRecord(id, version, type, at);
      // A writer between its insert and its projection (its creation could still be undone).
      await log.append(record(1, 'DisputeOpened'));
      await log.append(record(2, 'DisputeAcknowledged'));
      expect((await relayOutbox({ service: 'disputes', connection, redis, prefix })).relayed).toBe(0);

      const before = (await streamEventIds()).length;
      await log.project(record(1, 'DisputeOpened'));
      // Version 2 is still unprojected: the relay's mark must not race its writer's update.
      expect((await relayOutbox({ service: 'disputes', connection, redis, prefix })).relayed).toBe(1);
      await log.project(record(2, 'DisputeAcknowledged'));
      expect((await relayOutbox({ service: 'disputes', connection, redis, prefix })).relayed).toBe(1);
      const published = ((await redis.xrange(eventStreamKey(prefix), '-', '+')) as StreamEntry[])
        .slice(before)
        .map((entry) => parseStreamEntry(entry)!);
      expect(published.map((e) => [e.type, e.version])).toEqual([
        ['DisputeOpened', 1],
        ['DisputeAcknowledged', 2],
      ]);
      expect(
        await changeRecordModel(connection).countDocuments({
          subjectId: id,
          published: true,
          projected: true,
        }),
      ).toBe(2);
    });
  });

  describe('when writers left records unprojected (a crash between the insert and the projection)', () => {
    it('holds them and reports them as unprojected', async () => {
      const id = `dsp-${++nextId}`;
      await log.append(unprojectedRecord(id, 1, 'DisputeOpened'));
      const round = await relayOutbox({ service: 'disputes', connection, redis, prefix });
      expect(round.relayed).toBe(0);
      expect(round.unprojected.map((r) => r.subject)).toContain(subjectKey('Dispute', id));
      await log.project(unprojectedRecord(id, 1, 'DisputeOpened'));
    });

    it('rolls them forward through their change log once past its repair delay, and publishes them, with no reader or later change', async () => {
      const handled = await consumer('g-repair');
      const changed = await newDispute();
      const created = `dsp-${++nextId}`;
      const longAgo = new Date(Date.now() - 60_000);
      // A change and a creation whose writers crashed a minute ago, before projecting them.
      await log.append(unprojectedRecord(changed, 2, 'DisputeAcknowledged', longAgo));
      await log.append(unprojectedRecord(created, 1, 'DisputeOpened', longAgo));
      running.push(
        startEventRelay({
          service: 'disputes',
          connection,
          redis,
          prefix,
          logger: silentLogger,
          pollMs: 5,
          repairs: [log],
        }),
      );
      const announced = (events: PlatformEvent[]) =>
        events.some((e) => e.subject.id === changed && e.type === 'DisputeAcknowledged') &&
        events.some((e) => e.subject.id === created && e.type === 'DisputeOpened');
      await handled.until(announced);
      expect(await opened!.disputes.findById(changed).lean()).toMatchObject({ version: 2 });
      expect(await opened!.disputes.findById(created).lean()).toMatchObject({ version: 1 });
      expect(
        await changeRecordModel(connection).countDocuments({
          subjectId: { $in: [changed, created] },
          $or: [{ projected: false }, { published: false }],
        }),
      ).toBe(0);
    });
  });

  describe('when the engine fails the repair of a record held back', () => {
    it('reports it through its own logger (a worker has no change-log logger of its own)', async () => {
      const id = `dsp-${++nextId}`;
      await log.append(unprojectedRecord(id, 1, 'DisputeOpened', new Date(Date.now() - 60_000)));
      // The dispute log, with its projection's writes failing as FerretDB fails a broken connection's.
      const failingDisputes = new Proxy(opened!.disputes, {
        get: (target, property) =>
          property === 'collection'
            ? new Proxy(target.collection, {
                get: (collection, name) =>
                  name === 'replaceOne' || name === 'insertOne'
                    ? async () => {
                        throw new Error('timeout: read tcp 127.0.0.1:1->127.0.0.1:5432: i/o timeout');
                      }
                    : (Reflect.get(collection, name, collection) as unknown),
              })
            : Reflect.get(target, property, target),
      });
      const failing = new ChangeLog<DisputeDoc>({
        records: changeRecordModel(connection),
        projections: failingDisputes,
        subjectType: 'Dispute',
      });
      const warned = new Promise<string>((resolve) => {
        const capture = pino({ level: 'warn' }, { write: (line: string) => resolve(JSON.parse(line).msg) });
        running.push(
          startEventRelay({
            service: 'disputes',
            connection,
            redis,
            prefix,
            logger: capture,
            pollMs: 5,
            repairs: [failing],
          }),
        );
      });
      expect(await warned).toBe(
        'rolling forward an unprojected record failed: left for the next reader or relay round',
      );
      await log.project(unprojectedRecord(id, 1, 'DisputeOpened'));
    });
  });

  describe('when more records are held back than the relay reads at once', () => {
    it('pages past them and publishes the records behind them', async () => {
      const handled = await consumer('g-held-page');
      // Three creations whose writers have not projected them yet: more than a page of two.
      for (let i = 0; i < 3; i++)
        await log.append(unprojectedRecord(`dsp-held-${++nextId}`, 1, 'DisputeOpened'));
      const publishable = await newDispute();
      running.push(
        startEventRelay({
          service: 'disputes',
          connection,
          redis,
          prefix,
          logger: silentLogger,
          pollMs: 5,
          batchSize: 2,
        }),
      );
      await handled.until((events) => events.some((e) => e.subject.id === publishable));
      expect(handled.items.filter((e) => e.subject.id === publishable).map((e) => e.type)).toEqual([
        'DisputeOpened',
      ]);
    });
  });

  describe('marking', () => {
    it('is idempotent: marking records twice leaves them published', async () => {
      const id = await newDispute();
      const ids = [recordId('Dispute', id, 1)];
      await markPublished(connection, ids);
      await markPublished(connection, ids);
      expect(await changeRecordModel(connection).findById(ids[0]).lean()).toMatchObject({ published: true });
    });
  });
});
