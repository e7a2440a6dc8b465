import { pendingRecordsInOrder, type OutboxRecord } from '../src';

const record = (subject: string, version: number, at: number, projected = true): OutboxRecord => ({
  _id: `${subject}:${version}`,
  subject,
  version,
  at: new Date(at),
  projected,
  events: [],
});
const ids = (records: OutboxRecord[]) => records.map((r) => r._id);

describe('The order the relay publishes outbox records in', () => {
  it('is by time, each subject’s versions in order even when writers’ clocks disagree', () => {
    const records = [record('Dispute:b', 1, 20), record('Dispute:a', 2, 5), record('Dispute:a', 1, 10)];
    expect(ids(pendingRecordsInOrder(records))).toEqual(['Dispute:a:1', 'Dispute:a:2', 'Dispute:b:1']);
  });

  describe('when a creation is not projected yet', () => {
    it('holds it and every later version of its subject, and publishes the others', () => {
      const records = [
        record('Dispute:a', 1, 10, false),
        record('Dispute:a', 2, 11),
        record('Dispute:b', 3, 12),
      ];
      expect(ids(pendingRecordsInOrder(records))).toEqual(['Dispute:b:3']);
    });
  });

  describe('when a later version is not projected yet', () => {
    it('holds it too (its writer’s update has not landed), and what follows it of its subject', () => {
      const records = [
        record('Dispute:a', 1, 10),
        record('Dispute:a', 2, 11, false),
        record('Dispute:a', 3, 12),
        record('Dispute:b', 4, 13),
      ];
      expect(ids(pendingRecordsInOrder(records))).toEqual(['Dispute:a:1', 'Dispute:b:4']);
    });
  });

  describe('when an earlier version of a subject was not read with the batch', () => {
    it('holds the later versions until it is published', () => {
      const records = [record('Dispute:a', 3, 10), record('Dispute:b', 2, 11)];
      const outside = [{ subject: 'Dispute:a', version: 2 }];
      expect(ids(pendingRecordsInOrder(records, outside))).toEqual(['Dispute:b:2']);
    });
  });
});
