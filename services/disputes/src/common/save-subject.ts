import type { Actor, ChangeInput, ChangeLog, EventDraft, Planned, Versioned } from '@ies/change-log';
import { mutationError, type MutationError } from '@ies/subgraph-kit';

export type SaveOutcome<S> = { ok: true; state: S } | { ok: false; error: MutationError };

/**
 * Creates a subject (version 1 of its log) when it does not exist yet, or applies a change to it: the
 * one write path of the small configuration subjects (categories, SLA policies, published processes).
 * `expectedVersion: 0` asks for a creation only. Of simultaneous first saves one creates and the
 * others get CONFLICT; of simultaneous changes one wins each version (docs/adr/0010).
 */
export async function saveSubject<S extends Versioned>(options: {
  log: ChangeLog<S>;
  by: Actor;
  id: string;
  label: string;
  input: ChangeInput;
  create: () => { state: Omit<S, 'version'>; kind: string; events?: EventDraft[] };
  plan: (current: S) => Planned<S, MutationError>;
}): Promise<SaveOutcome<S>> {
  const { log, by, id, label, input } = options;
  const conflict = (version: number) =>
    typeof input.expectedVersion === 'number' && input.expectedVersion !== version
      ? mutationError(
          'CONFLICT',
          `${label} ${id} is at version ${version}, not ${input.expectedVersion}; re-read and retry`,
          'input.expectedVersion',
        )
      : mutationError('CONFLICT', `${label} ${id} changed concurrently; re-read and retry`);
  const current = await log.latest(id);
  if (!current) {
    if (typeof input.expectedVersion === 'number' && input.expectedVersion !== 0)
      return { ok: false, error: conflict(0) };
    const { state, kind, events } = options.create();
    const created = await log.create(by, state, { kind, reason: input.reason, asOf: input.asOf, events });
    return created.status === 'created'
      ? { ok: true, state: created.state }
      : { ok: false, error: conflict(1) };
  }
  const outcome = await log.change<MutationError>(by, id, input, options.plan);
  switch (outcome.status) {
    case 'applied':
      return { ok: true, state: outcome.state };
    case 'refused':
      return { ok: false, error: outcome.refusal };
    case 'conflict':
      return { ok: false, error: conflict(outcome.version) };
    case 'not-found':
      return { ok: false, error: conflict(0) };
  }
}
