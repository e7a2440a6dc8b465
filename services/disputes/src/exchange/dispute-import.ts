import type { Actor, ChangeLog } from '@ies/change-log';
import { todayInOntario, type IsoDate } from '@ies/calendar';
import type { MutationError } from '@ies/subgraph-kit';
import type { DisputeCategoryService } from '../category/dispute-category.service';
import type { PeriodsSource } from '../common/periods-source';
import { disputeIdFor } from '../dispute/dispute-ids';
import {
  openDispute,
  transitionDispute,
  type DisputeState,
  type LifecycleResult,
} from '../dispute/dispute-lifecycle';
import { slaClocks } from '../dispute/dispute-sla';
import type { DisputeDoc, DisputeModel, SlaBreachDoc } from '../dispute/dispute.model';
import { refuseCategory, refuseParties, ssmHearingDisputes } from '../dispute/dispute-opening';
import { newDisputeDoc } from '../dispute/dispute-state';
import type { SlaPolicyService } from '../sla-policy/sla-policy.service';
import { SWEEP_ACTOR } from '../sla-sweep/sla-breach';
import {
  formatDisputeLine,
  lineOf,
  normalizedLine,
  parseDisputeLine,
  type DisputeLine,
} from './dispute-line';
import type { ImportTarget, LineOutcome, NumberedLine } from './exchange-types';

/** Who an import is recorded as (the history entries keep who did each step). */
export const IMPORT_ACTOR: Actor = { subject: 'batch-import', role: 'SYSTEM' };

export interface DisputeImportDeps {
  disputes: DisputeModel;
  log: ChangeLog<DisputeDoc>;
  categories: DisputeCategoryService;
  policies: SlaPolicyService;
  periods: PeriodsSource;
  /** Today in Ontario (a clock of the caller's in tests). */
  today?: () => IsoDate;
}

type Rejected = { status: 'rejected'; reason: string };
const reject = (reason: string): Rejected => ({ status: 'rejected', reason });
const because = (error: MutationError, where?: string): Rejected =>
  reject(where ? `${where}: ${error.message}` : error.message);

/**
 * The batch exchange of disputes (docs/api-guide.md, "Disputes"): each line is replayed through the
 * service's rules — parties, an active category of its kind, a catchment whose SSM hears disputes on the
 * opening date, and the lifecycle over every history entry (legal transitions, dates in order, a
 * resolution exactly when resolved), nothing in the future — and written as one change-log record, as
 * any API change is. Idempotent on `reference`: a line whose dispute exists with the same content is
 * `unchanged`, one that differs is rejected and changes nothing.
 *
 * `clientCamsReference` is stored as given: the clients service is the authority on clients, and
 * resolving a reference to a `Client` id would need its records (a later step: a lookup over the
 * federation, or the clients' events). SLA breaches that the history already answered with an
 * escalation are recorded as handled, so the SLA sweep never escalates an imported breach twice; a
 * running clock that is overdue and was not escalated is left to the sweep, as for any dispute.
 */
export class DisputeImportTarget implements ImportTarget<DisputeLine | string> {
  constructor(private readonly deps: DisputeImportDeps) {}

  async applyBatch(lines: NumberedLine<DisputeLine | string>[]): Promise<LineOutcome[]> {
    const outcomes: LineOutcome[] = lines.map(() => reject('not applied'));
    const parsed = new Map<number, DisputeLine>();
    lines.forEach(({ line }, i) => {
      const result = parseDisputeLine(line);
      if (result.ok) parsed.set(i, normalizedLine(result.line));
      else outcomes[i] = reject(result.reason);
    });
    if (parsed.size === 0) return outcomes;

    const references = [...new Set([...parsed.values()].map((l) => l.reference))];
    const existing = new Map(
      (await this.deps.log.findByIds(references.map(disputeIdFor))).map((d) => [
        d.reference,
        formatDisputeLine(lineOf(d)),
      ]),
    );
    const categories = await this.deps.categories.byCode();
    const today = this.deps.today?.() ?? todayInOntario();
    const created: { index: number; state: Omit<DisputeDoc, 'version'>; text: string }[] = [];

    for (const [index, line] of parsed) {
      const text = formatDisputeLine(line);
      const known = existing.get(line.reference);
      if (known !== undefined) {
        outcomes[index] =
          known === text
            ? { status: 'unchanged' }
            : reject(`dispute ${line.reference} exists with different content; change it through the API`);
        continue;
      }
      const built = await this.build(line, categories, today);
      if (!('_id' in built)) {
        outcomes[index] = built;
        continue;
      }
      existing.set(line.reference, text);
      created.push({ index, state: built, text });
      outcomes[index] = { status: 'accepted' };
    }

    const written = await this.deps.log.createMany(
      IMPORT_ACTOR,
      created.map(({ state }) => ({
        state,
        change: {
          kind: 'IMPORT',
          reason: 'Batch import of disputes',
          asOf: state.openedOn,
          events: [
            {
              type: 'DisputeImported',
              catchmentId: state.catchmentId,
              data: {
                reference: state.reference,
                kind: state.kind,
                status: state.status,
                category: state.category,
              },
            },
          ],
        },
      })),
      // A batch import loads history: its events stay in the audit log, unannounced (ADR 0018).
      { publish: false },
    );
    // A reference written meanwhile by another import: the same content is unchanged, else refused.
    const raced = created.filter((_, i) => written[i] === 'duplicate');
    if (raced.length > 0) {
      const now = new Map(
        (await this.deps.log.findByIds(raced.map((c) => c.state._id))).map((d) => [
          d.reference,
          formatDisputeLine(lineOf(d)),
        ]),
      );
      for (const { index, state, text } of raced) {
        outcomes[index] =
          now.get(state.reference) === text
            ? { status: 'unchanged' }
            : reject(`dispute ${state.reference} was written concurrently with different content`);
      }
    }
    return outcomes;
  }

  /** Every dispute of a catchment as exchange lines, in reference order, read in chunks. */
  async *exportLines(catchmentId: string): AsyncIterable<DisputeLine> {
    const keys = await this.deps.disputes
      .find({ catchmentId }, { _id: 1, reference: 1 })
      .lean<{ _id: string; reference: string }[]>();
    keys.sort((a, b) => (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
    for (let i = 0; i < keys.length; i += 200) {
      const ids = keys.slice(i, i + 200).map((k) => k._id);
      const byId = new Map((await this.deps.log.findByIds(ids)).map((d) => [d._id, d]));
      for (const id of ids) {
        const doc = byId.get(id);
        if (doc) yield lineOf(doc);
      }
    }
  }

  /** The dispute a line describes, replayed through the rules; or why it is refused. */
  private async build(
    line: DisputeLine,
    categories: Awaited<ReturnType<DisputeCategoryService['byCode']>>,
    today: IsoDate,
  ): Promise<Omit<DisputeDoc, 'version'> | Rejected> {
    const [opening, ...steps] = line.history;
    if (opening!.status !== 'OPENED' || opening!.on !== line.openedOn)
      return reject(`history[0]: a dispute's history starts with OPENED on openedOn (${line.openedOn})`);
    const future = line.history.findIndex((h) => h.on > today);
    if (future >= 0)
      return reject(`history[${future}].on: ${line.history[future]!.on} is after today (${today})`);
    const refusal =
      refuseParties(
        { kind: line.kind, hasClient: line.clientCamsReference !== null, providerId: line.providerId },
        'clientCamsReference',
      ) ?? refuseCategory(line.category, categories.get(line.category), line.kind, 'category');
    if (refusal) return because(refusal);
    const hearing = ssmHearingDisputes(
      line.catchmentId,
      await this.deps.periods.periodsOf(line.catchmentId, 'catchmentId'),
      line.openedOn,
      'catchmentId',
    );
    if ('code' in hearing) return because(hearing);

    let result: LifecycleResult = openDispute({
      reference: line.reference,
      kind: line.kind,
      by: opening!.by,
      on: line.openedOn,
      reason: opening!.reason,
      providerParty: line.providerId !== null,
      slaPolicies: await this.deps.policies.versionsOf(hearing.ssmId),
    });
    if (!result.ok) return because(result.error, 'history[0]');
    for (const [i, step] of steps.entries()) {
      const resolving = step.status === 'RESOLVED';
      if (resolving && (!line.resolution || line.resolution.on !== step.on))
        return reject(`resolution: a RESOLVED step on ${step.on} needs the resolution of that date`);
      result = transitionDispute(result.dispute!, {
        to: step.status,
        by: step.by,
        on: step.on,
        reason: step.reason,
        resolution: resolving ? line.resolution : null,
      });
      if (!result.ok) return because(result.error, `history[${i + 1}]`);
    }
    const state = result.dispute!;
    if (line.resolution && state.status !== 'RESOLVED')
      return reject('resolution: given, but the history never resolves the dispute');
    return {
      ...newDisputeDoc(state, {
        _id: disputeIdFor(line.reference),
        catchmentId: line.catchmentId,
        ssmId: hearing.ssmId,
        providerId: line.providerId,
        clientId: null,
        clientCamsReference: line.clientCamsReference,
        category: line.category,
        description: opening!.reason,
        createdAt: new Date(),
        createdBy: IMPORT_ACTOR.subject,
      }),
      slaBreaches: answeredBreaches(state),
    };
  }
}

/**
 * The breaches an imported history already answered with an escalation after the due date, as the
 * sweep would have recorded them: one sweep escalation per breached clock (in clock order), or any
 * party's escalation. Unanswered breaches are left for the sweep.
 */
export function answeredBreaches(state: DisputeState): SlaBreachDoc[] {
  const lastOn = state.history.at(-1)?.on ?? state.openedOn;
  const used = new Set<number>();
  const breaches: SlaBreachDoc[] = [];
  for (const clock of slaClocks(state, lastOn).filter((c) => c.breached)) {
    const index = state.history.findIndex(
      (t, i) =>
        t.status === 'ESCALATED' && t.on > clock.dueOn && !(t.by === SWEEP_ACTOR.subject && used.has(i)),
    );
    if (index < 0) continue;
    const escalation = state.history[index]!;
    const bySweep = escalation.by === SWEEP_ACTOR.subject;
    if (bySweep) used.add(index);
    breaches.push({
      clock: clock.clock,
      dueOn: clock.dueOn,
      detectedOn: escalation.on,
      handling: bySweep ? 'ESCALATED' : 'ALREADY_ESCALATED',
      escalatedTo: bySweep ? escalation.level : null,
    });
  }
  return breaches;
}
