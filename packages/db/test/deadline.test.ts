import type { CommandStartedEvent } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import { connectTestDatabase } from '@ies/testkit';
import { DeadlineExceededError, ensureCollections, withDeadline, type Deadline } from '../src';

interface Site {
  _id: string;
  providerId: string;
}

// A query runs where it is executed (`exec`, or `then` when awaited): inside `withDeadline` here.

/** A deadline with a fixed amount of time left: what the engine is told does not depend on the clock. */
const leaving = (ms: number): Deadline => ({ remainingMs: () => ms });

describe('Queries within a deadline', () => {
  let connection: Connection;
  let sites: Model<Site>;
  const sent: CommandStartedEvent[] = [];
  const listener = (event: CommandStartedEvent) => sent.push(event);
  const sentNamed = (name: string) => sent.filter((event) => event.commandName === name);

  beforeAll(async () => {
    connection = await connectTestDatabase('deadline', { monitorCommands: true });
    sites = connection.model<Site>(
      'Site',
      new Schema<Site>({ _id: String, providerId: String }, { versionKey: false }),
    );
    await ensureCollections([sites]);
    await sites.insertMany([
      { _id: 's1', providerId: 'p1' },
      { _id: 's2', providerId: 'p1' },
      { _id: 's3', providerId: 'p2' },
    ]);
    connection.getClient().on('commandStarted', listener);
  });
  beforeEach(() => {
    sent.length = 0;
  });
  afterAll(async () => {
    connection.getClient().off('commandStarted', listener);
    await connection.close();
  });

  describe('when time is left', () => {
    it('sends a find with maxTimeMS set to the time left, and the engine answers it', async () => {
      const found = await withDeadline(leaving(1234.2), () => sites.find({ providerId: 'p1' }).lean().exec());
      expect(found.map((s) => s._id).sort()).toEqual(['s1', 's2']);
      expect(sentNamed('find').map((event) => event.command.maxTimeMS)).toEqual([1235]);
    });

    it('bounds findOne and countDocuments (an aggregation) too', async () => {
      const [one, count] = await withDeadline(leaving(800), () =>
        Promise.all([sites.findOne({ _id: 's3' }).lean(), sites.countDocuments({ providerId: 'p1' })]),
      );
      expect(one?._id).toBe('s3');
      expect(count).toBe(2);
      expect(sentNamed('find').map((event) => event.command.maxTimeMS)).toEqual([800]);
      expect(sentNamed('aggregate').map((event) => event.command.maxTimeMS)).toEqual([800]);
    });

    it('bounds an aggregation', async () => {
      const grouped = await withDeadline(leaving(500), () =>
        sites
          .aggregate<{ _id: string; n: number }>([
            { $match: {} },
            { $group: { _id: '$providerId', n: { $sum: 1 } } },
          ])
          .exec(),
      );
      expect(grouped.sort((a, b) => a._id.localeCompare(b._id))).toEqual([
        { _id: 'p1', n: 2 },
        { _id: 'p2', n: 1 },
      ]);
      expect(sentNamed('aggregate').map((event) => event.command.maxTimeMS)).toEqual([500]);
    });

    it('keeps a maxTimeMS the query set itself', async () => {
      await withDeadline(leaving(5000), () => sites.find({}).maxTimeMS(50).lean().exec());
      expect(sentNamed('find').map((event) => event.command.maxTimeMS)).toEqual([50]);
    });
  });

  describe('when the deadline has passed', () => {
    it('refuses the query before sending it', async () => {
      await expect(withDeadline(leaving(0), () => sites.find({}).lean().exec())).rejects.toBeInstanceOf(
        DeadlineExceededError,
      );
      await expect(withDeadline(leaving(-10), () => sites.countDocuments({}).exec())).rejects.toBeInstanceOf(
        DeadlineExceededError,
      );
      expect(sentNamed('find')).toHaveLength(0);
      expect(sentNamed('aggregate')).toHaveLength(0);
    });
  });

  describe('outside any deadline (jobs, start-up)', () => {
    it('sends queries without maxTimeMS', async () => {
      expect(await sites.countDocuments({})).toBe(3);
      await sites.find({}).lean();
      expect(sentNamed('find').map((event) => event.command.maxTimeMS)).toEqual([undefined]);
      expect(sentNamed('aggregate').map((event) => event.command.maxTimeMS)).toEqual([undefined]);
    });
  });
});
