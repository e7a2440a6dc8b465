import type { ChangeRecord } from '@ies/change-log';

/** A change as the API shows it (`ChangeRecord` in the SDL): the changed values as JSON. */
export interface ChangeView {
  id: string;
  version: number;
  at: Date;
  bySubject: string;
  byRole: string;
  reason: string;
  kind: string;
  before: string;
  after: string;
}

export const changeView = (record: ChangeRecord<unknown>): ChangeView => ({
  id: record._id,
  version: record.version,
  at: record.at,
  bySubject: record.bySubject,
  byRole: record.byRole,
  reason: record.reason,
  kind: record.kind,
  before: JSON.stringify(record.before),
  after: JSON.stringify(record.after),
});
