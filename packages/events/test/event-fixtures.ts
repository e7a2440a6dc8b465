import { randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import pino from 'pino';
import { ChangeLog, changeRecordModel, openBatchModel, type DomainEvent } from '@ies/change-log';
import { ensureCollections } from '@ies/db';
import { connectRedis, type Redis } from '@ies/redis';
import { connectTestDatabase, testEngines } from '@ies/testkit';

export const silentLogger = pino({ level: 'silent' });

/** A domain event of a dispute in a catchment (what a service would write). */
export function anEvent(overrides: Partial<DomainEvent> = {}): DomainEvent {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    type: 'DisputeOpened',
    occurredAt: new Date('2026-11-30T14:00:00.000Z'),
    catchmentId: 'toronto-central',
    subject: { typename: 'Dispute', id: `dsp-${id.slice(0, 8)}` },
    data: { providerId: 'prov-1' },
    version: 1,
    ...overrides,
  };
}

/**
 * Values arriving over time, and promises of the moment a condition over them holds: tests await
 * what they expect instead of sleeping.
 */
export class Arrivals<T> {
  readonly items: T[] = [];
  private waiters: { holds: (items: T[]) => boolean; resolve: () => void }[] = [];

  push = (item: T): void => {
    this.items.push(item);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.holds(this.items)) return true;
      waiter.resolve();
      return false;
    });
  };

  until(holds: (items: T[]) => boolean): Promise<void> {
    if (holds(this.items)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ holds, resolve }));
  }
}

/** How many times each value occurs. */
export function counts(values: string[]): Map<string, number> {
  const byValue = new Map<string, number>();
  for (const value of values) byValue.set(value, (byValue.get(value) ?? 0) + 1);
  return byValue;
}

/** The projection the tests' change logs write: a dispute (with a counter some tests change). */
export interface DisputeDoc {
  _id: string;
  catchmentId: string;
  status: string;
  notes?: number;
  version: number;
}

export const disputeSchema = new Schema<DisputeDoc>(
  { _id: String, catchmentId: String, status: String, notes: Number, version: Number },
  { collection: 'disputes', versionKey: false },
);

/** Who makes the tests' changes. */
export const actor = { subject: 'test-ssm', role: 'SSM' };

/** A test database of this file's own with the disputes' change log (the outbox), and the run's Redis. */
export async function openDisputeLog(name: string) {
  const connection = await connectTestDatabase(name);
  const disputes = connection.model<DisputeDoc>('Dispute', disputeSchema);
  await ensureCollections([disputes, changeRecordModel(connection), openBatchModel(connection)]);
  const redis = await connectRedis({ url: testEngines().redisUrl });
  const log = new ChangeLog<DisputeDoc>({
    records: changeRecordModel(connection),
    projections: disputes,
    subjectType: 'Dispute',
  });
  return { connection, disputes, redis, log };
}

/** Deletes this file's keys (under `prefix`) and closes what `openDisputeLog` opened. */
export async function closeDisputeLog(
  opened: { connection: Connection; redis: Redis } | undefined,
  prefix: string,
): Promise<void> {
  if (!opened) return;
  const keys = await opened.redis.keys(`${prefix}:*`);
  if (keys.length > 0) await opened.redis.del(...keys);
  await opened.redis.quit();
  await opened.connection.close();
}

/** Marks every record published, so that the next test starts from an empty outbox. */
export const emptyOutbox = (connection: Connection) =>
  changeRecordModel(connection).updateMany({ published: false }, { $set: { published: true } });

/** Opens dispute `id` (version 1, announcing `DisputeOpened`) in catchment `peel` unless told otherwise. */
export async function openDispute(
  log: ChangeLog<DisputeDoc>,
  id: string,
  fields: Partial<Omit<DisputeDoc, '_id' | 'version'>> = {},
): Promise<string> {
  const { catchmentId = 'peel', ...rest } = fields;
  const created = await log.create(
    actor,
    { _id: id, catchmentId, status: 'OPEN', ...rest },
    { kind: 'OPEN', reason: 'a dispute for this test', events: [{ type: 'DisputeOpened', catchmentId }] },
  );
  expect(created.status).toBe('created');
  return id;
}
