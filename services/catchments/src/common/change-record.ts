import { randomUUID } from 'node:crypto';
import { Schema } from 'mongoose';
import type { Principal } from '@ies/auth';

/** Who changed what, when and why; stored inside the changed document by the same write. */
export interface ChangeRecord {
  id: string;
  at: Date;
  bySubject: string;
  byRole: string;
  reason: string;
  kind: string;
  before: string;
  after: string;
}

export const changeRecordSchema = new Schema<ChangeRecord>(
  {
    id: { type: String, required: true },
    at: { type: Date, required: true },
    bySubject: { type: String, required: true },
    byRole: { type: String, required: true },
    reason: { type: String, required: true },
    kind: { type: String, required: true },
    before: { type: String, required: true },
    after: { type: String, required: true },
  },
  { _id: false },
);

export function changeRecord(
  principal: Principal,
  kind: string,
  reason: string,
  before: unknown,
  after: unknown,
  at: Date = new Date(),
): ChangeRecord {
  return {
    id: randomUUID(),
    at,
    bySubject: principal.subject,
    byRole: principal.role,
    reason: reason.trim(),
    kind,
    before: JSON.stringify(before),
    after: JSON.stringify(after),
  };
}
