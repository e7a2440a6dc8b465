import { Schema, type Connection, type Model } from 'mongoose';
import type { DomainEvent } from './domain-event';

/**
 * One change of one subject, inserted once and never rewritten (but for its two delivery marks).
 * `_id` is `subjectType:subjectId:version`, so inserting version n+1 succeeds for exactly one writer:
 * the only primitive that is atomic on every engine we run (docs/adr/0010).
 */
export interface ChangeRecord<S = Record<string, unknown>> {
  _id: string;
  /** `subjectType:subjectId`: the equality key of a subject's history. */
  subject: string;
  subjectType: string;
  subjectId: string;
  /** 1 for the creation, then +1 per change. */
  version: number;
  kind: string;
  at: Date;
  /** The business date the change takes effect (amendments), when it has one. */
  asOf: string | null;
  bySubject: string;
  byRole: string;
  reason: string;
  /** The changed values before (null for a creation) and after the change. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  /** The subject's whole current-state document after this change: what the projection becomes. */
  state: S;
  events: DomainEvent[];
  /** False until the projection is known to carry this version; readers and writers roll it forward. */
  projected: boolean;
  /** False until `events` are on the stream: published by its writer at once, or by the events relay. */
  published: boolean;
  /** The `createMany` call that wrote it (a batch import), so that call marks exactly its own records. */
  batch?: string;
}

const schema = new Schema<ChangeRecord>(
  {
    _id: { type: String, required: true },
    subject: { type: String, required: true },
    subjectType: { type: String, required: true },
    subjectId: { type: String, required: true },
    version: { type: Number, required: true },
    kind: { type: String, required: true },
    at: { type: Date, required: true },
    asOf: { type: String, default: null },
    bySubject: { type: String, required: true },
    byRole: { type: String, required: true },
    reason: { type: String, required: true },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, required: true },
    state: { type: Schema.Types.Mixed, required: true },
    events: { type: Schema.Types.Mixed, default: [] },
    projected: { type: Boolean, required: true },
    published: { type: Boolean, required: true },
    batch: { type: String },
  },
  { collection: 'change_log', versionKey: false, minimize: false },
);
// A subject's history in order, and its head.
schema.index({ subject: 1, version: 1 }, { unique: true });
// Records whose projection may be behind (few at any time).
schema.index({ projected: 1, subjectType: 1 });
// The outbox: records whose events are not published yet.
schema.index({ published: 1 });
// The records of one `createMany` (found while its open-batch marker exists).
schema.index({ batch: 1 });

export type ChangeRecordModel = Model<ChangeRecord>;

/** The service's change log (one `change_log` collection per service database). */
export const changeRecordModel = (connection: Connection): ChangeRecordModel =>
  (connection.models.ChangeRecord as ChangeRecordModel | undefined) ??
  connection.model<ChangeRecord>('ChangeRecord', schema);

export const recordId = (subjectType: string, subjectId: string, version: number) =>
  `${subjectType}:${subjectId}:${version}`;
export const subjectKey = (subjectType: string, subjectId: string) => `${subjectType}:${subjectId}`;
