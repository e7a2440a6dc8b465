import type { Principal } from '@ies/auth';
import type { ChangeLog, ChangeRecord } from '@ies/change-log';
import { findWhereIn } from '@ies/db';
import { mutationError, validateReason, validateText, type MutationError } from '@ies/subgraph-kit';
import { refuseProcessChange } from '../common/access';
import { refuseIdentifiers } from '../common/identifiers';
import type { PeriodsSource } from '../common/periods-source';
import { saveSubject } from '../common/save-subject';
import { ESCALATION_LEVELS } from '../dispute/dispute-lifecycle';
import type { DisputeProcessDoc, DisputeProcessModel, EscalationContact } from './dispute-process.model';

export interface PublishProcessInput {
  catchmentId: string;
  howToFile: string;
  escalationContacts: {
    level: EscalationContact['level'];
    name: string;
    email?: string | null;
    phone?: string | null;
  }[];
  languages: string[];
  reason: string;
  expectedVersion?: number | null;
}

export interface DisputeProcessPayload {
  ok: boolean;
  process: DisputeProcessDoc | null;
  error: MutationError | null;
}

/** One published version, read from the change log. */
export interface DisputeProcessRevision {
  version: number;
  publishedAt: Date;
  reason: string;
  howToFile: string;
  escalationContacts: EscalationContact[];
  languages: string[];
}

const failed = (error: MutationError): DisputeProcessPayload => ({ ok: false, process: null, error });
const invalid = (message: string, field: string) => mutationError('VALIDATION_FAILED', message, field);

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PHONE = /^\+?[0-9][0-9 ().-]{6,29}$/;

/** The published fields, validated and trimmed; or the first problem. */
export function publishedFields(
  input: PublishProcessInput,
): Pick<DisputeProcessDoc, 'howToFile' | 'escalationContacts' | 'languages'> | MutationError {
  const text =
    validateText(input.howToFile, 'input.howToFile', 'How to file', 'text') ??
    input.escalationContacts
      .map((c, i) => {
        const field = `input.escalationContacts[${i}]`;
        return (
          validateText(c.name, `${field}.name`, 'A contact name', 'name') ??
          (c.email != null ? validateText(c.email, `${field}.email`, 'An email', 'name') : null) ??
          (c.phone != null ? validateText(c.phone, `${field}.phone`, 'A phone', 'name') : null)
        );
      })
      .find((refusal) => refusal !== null) ??
    input.languages
      .map((l) => validateText(l, 'input.languages', 'A language', 'name'))
      .find((refusal) => refusal !== null) ??
    null;
  if (text) return text;
  const howToFile = input.howToFile.trim();
  if (howToFile.length === 0 || howToFile.length > 4000)
    return invalid('How to file is 1–4000 characters', 'input.howToFile');
  if (input.escalationContacts.length === 0 || input.escalationContacts.length > 10)
    return invalid('A process names 1–10 escalation contacts', 'input.escalationContacts');
  const contacts: EscalationContact[] = [];
  for (const [i, contact] of input.escalationContacts.entries()) {
    const field = `input.escalationContacts[${i}]`;
    const name = contact.name.trim();
    const email = contact.email?.trim() || null;
    const phone = contact.phone?.trim() || null;
    if (!ESCALATION_LEVELS.includes(contact.level)) return invalid('Unknown level', `${field}.level`);
    if (name.length === 0 || name.length > 200)
      return invalid('A contact name is 1–200 characters', `${field}.name`);
    if (!email && !phone) return invalid('A contact gives an email or a phone', field);
    if (email && !EMAIL.test(email)) return invalid('Not an email address', `${field}.email`);
    if (phone && !PHONE.test(phone)) return invalid('Not a phone number', `${field}.phone`);
    contacts.push({ level: contact.level, name, email, phone });
  }
  const languages = input.languages.map((l) => l.trim());
  if (languages.length === 0 || languages.length > 20)
    return invalid('A process is offered in 1–20 languages', 'input.languages');
  if (languages.some((l) => l.length < 2 || l.length > 40))
    return invalid('A language is named in 2–40 characters', 'input.languages');
  if (new Set(languages.map((l) => l.toLowerCase())).size !== languages.length)
    return invalid('A language is listed once', 'input.languages');
  return { howToFile, escalationContacts: contacts, languages };
}

const revisionOf = (record: ChangeRecord<DisputeProcessDoc>): DisputeProcessRevision => {
  const after = record.after as Pick<DisputeProcessDoc, 'howToFile' | 'escalationContacts' | 'languages'>;
  return {
    version: record.version,
    publishedAt: record.at,
    reason: record.reason,
    howToFile: after.howToFile,
    escalationContacts: after.escalationContacts,
    languages: after.languages,
  };
};

/**
 * Each catchment's public dispute process (DOMAIN.md §4: the process must be publicly available).
 * Anyone reads it; the catchment's SSM or the ministry publishes a new version; every version stays
 * in the change log.
 */
export class DisputeProcessService {
  constructor(
    private readonly processes: DisputeProcessModel,
    private readonly log: ChangeLog<DisputeProcessDoc>,
    private readonly periods: PeriodsSource,
  ) {}

  async findByCatchmentIds(catchmentIds: readonly string[]): Promise<DisputeProcessDoc[]> {
    return this.log.overlay(
      await findWhereIn<DisputeProcessDoc>(this.processes, '_id', catchmentIds),
      catchmentIds,
    );
  }

  async revisionsOf(catchmentIds: readonly string[]): Promise<Map<string, DisputeProcessRevision[]>> {
    const histories = await this.log.histories(catchmentIds);
    return new Map([...histories].map(([id, records]) => [id, records.map(revisionOf)]));
  }

  async publish(principal: Principal, input: PublishProcessInput): Promise<DisputeProcessPayload> {
    const early =
      refuseIdentifiers({ 'input.catchmentId': input.catchmentId }) ??
      refuseProcessChange(principal, input.catchmentId) ??
      validateReason(input.reason);
    if (early) return failed(early);
    const fields = publishedFields(input);
    if ('code' in fields) return failed(fields);
    const periods = await this.periods.periodsOf(input.catchmentId);
    if ('code' in periods) return failed(periods);
    const publishedAt = new Date();
    const event = { type: 'DisputeProcessPublished', catchmentId: input.catchmentId };
    const saved = await saveSubject({
      log: this.log,
      by: principal,
      id: input.catchmentId,
      label: 'The dispute process of',
      input,
      create: () => ({
        state: { _id: input.catchmentId, ...fields, publishedAt },
        kind: 'PUBLISH',
        events: [event],
      }),
      plan: (current) => ({
        kind: 'PUBLISH',
        before: {
          howToFile: current.howToFile,
          escalationContacts: current.escalationContacts,
          languages: current.languages,
        },
        after: fields,
        set: { ...fields, publishedAt },
        events: [event],
      }),
    });
    return saved.ok ? { ok: true, process: saved.state, error: null } : failed(saved.error);
  }
}
