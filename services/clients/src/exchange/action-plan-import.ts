import type { Actor, ChangeLog } from '@ies/change-log';
import type { CatchmentPeriods } from '@ies/catchment-read-model';
import { isIsoDate, todayInOntario } from '@ies/calendar';
import { findWhereIn } from '@ies/db';
import type { MutationError } from '@ies/subgraph-kit';
import type { Connection } from 'mongoose';
import { planIdFor } from '../action-plan/action-plan-ids';
import { actionPlanModel, type ActionPlanDoc, type CheckpointDoc } from '../action-plan/action-plan.model';
import { validateEmploymentAtStart } from '../action-plan/action-plan.service';
import { validateJob } from '../action-plan/plan-content.service';
import {
  refuseMissingAssessment,
  validateActiveOffer,
  validatePlanDates,
  validatePlanStructure,
} from '../action-plan/plan-rules';
import { validateClientDetails } from '../client/client-input';
import { clientModel, type ClientDoc } from '../client/client.model';
import { newClientId, validateCamsClientReference } from '../client/client.service';
import { isYouth } from '../client/equity';
import { checkpointDueOn } from '../outcome/checkpoint.service';
import type { OutcomeConfig } from '../outcome/outcome-config';
import { assessPlanCheckpoint } from '../outcome/plan-outcome';
import type { DirectoryProvider, ProviderDirectory } from '../provider-directory/provider-directory';
import { formatActionPlanLine, parseActionPlanLine, type ActionPlanLine } from './action-plan-line';
import type { ImportTarget, LineOutcome, NumberedLine } from './exchange-types';

/** The most lines `importActionPlans` (GraphQL) takes at once; larger files go through the CLI. */
export const MAX_GRAPHQL_IMPORT_LINES = 1000;

interface PeriodsSource {
  periodsOf(catchmentId: string, field?: string): Promise<CatchmentPeriods | MutationError>;
}

export interface ActionPlanExchangeDeps {
  connection: Connection;
  logs: { clients: ChangeLog<ClientDoc>; plans: ChangeLog<ActionPlanDoc> };
  directory: ProviderDirectory;
  periods: PeriodsSource;
  outcomeConfig: OutcomeConfig;
}

/** Clients moved to a new serving provider at once (well under the engine's connection pool). */
const MOVE_CONCURRENCY = 8;

/** Who an import acts as when it is not a GraphQL caller (the CLI, the seed). */
export const IMPORT_ACTOR: Actor = { subject: 'batch-import', role: 'MINISTRY' };

type Rejection = { status: 'rejected'; reason: string };
const reject = (reason: string): Rejection => ({ status: 'rejected', reason });

/**
 * The batch exchange of action plans keyed on CaMS references (docs/api-guide.md): each line is
 * applied through the service's rules — the provider serves the catchment, an assessment from IES
 * delivery, one active plan per client, valid jobs and checkpoints judged by the outcome rule — and
 * written through the change log like any API change. Idempotent: a line whose plan exists with the
 * same content is `unchanged`; one that differs is rejected and changes nothing.
 */
export class ActionPlanExchange implements ImportTarget<ActionPlanLine> {
  constructor(private readonly deps: ActionPlanExchangeDeps) {}

  private get plans() {
    return actionPlanModel(this.deps.connection);
  }

  private get clients() {
    return clientModel(this.deps.connection);
  }

  applyBatch(lines: NumberedLine<ActionPlanLine>[]): Promise<LineOutcome[]> {
    return this.apply(IMPORT_ACTOR, lines);
  }

  /** The GraphQL path: up to MAX_GRAPHQL_IMPORT_LINES lines of NDJSON text, as the given caller. */
  async importText(actor: Actor, ndjson: string) {
    const texts = ndjson.split(/\r?\n/);
    const rejections: { line: number; reason: string }[] = [];
    const parsed: NumberedLine<ActionPlanLine>[] = [];
    texts.forEach((text, i) => {
      if (text.trim() === '') return;
      const result = parseActionPlanLine(text);
      if (result.ok) parsed.push({ lineNumber: i + 1, line: result.line });
      else rejections.push({ line: i + 1, reason: result.reason });
    });
    if (parsed.length + rejections.length > MAX_GRAPHQL_IMPORT_LINES) {
      return {
        accepted: 0,
        unchanged: 0,
        rejected: parsed.length + rejections.length,
        rejections: [
          {
            line: 0,
            reason: `At most ${MAX_GRAPHQL_IMPORT_LINES} lines per request; use npm run import for larger files`,
          },
        ],
      };
    }
    const outcomes = await this.apply(actor, parsed);
    let accepted = 0;
    let unchanged = 0;
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'accepted') accepted++;
      else if (outcome.status === 'unchanged') unchanged++;
      else rejections.push({ line: parsed[i]!.lineNumber, reason: outcome.reason });
    });
    rejections.sort((a, b) => a.line - b.line);
    return { accepted, unchanged, rejected: rejections.length, rejections };
  }

  /** Every plan of a catchment as exchange lines, in CaMS reference order (streamed in chunks). */
  async *exportLines(catchmentId: string): AsyncIterable<ActionPlanLine> {
    const keys = await this.plans
      .find({ catchmentId }, { _id: 1, camsReference: 1 })
      .lean<{ _id: string; camsReference: string }[]>();
    keys.sort((a, b) => (a.camsReference < b.camsReference ? -1 : a.camsReference > b.camsReference ? 1 : 0));
    for (let i = 0; i < keys.length; i += 200) {
      const ids = keys.slice(i, i + 200).map((k) => k._id);
      const plans = await this.deps.logs.plans.findByIds(ids);
      const clients = new Map(
        (await this.deps.logs.clients.findByIds([...new Set(plans.map((p) => p.clientId))])).map((c) => [
          c._id,
          c,
        ]),
      );
      const byId = new Map(plans.map((p) => [p._id, p]));
      for (const id of ids) {
        const plan = byId.get(id);
        const client = plan && clients.get(plan.clientId);
        if (plan && client) yield lineOf(plan, client);
      }
    }
  }

  private async apply(actor: Actor, lines: NumberedLine<ActionPlanLine>[]): Promise<LineOutcome[]> {
    const outcomes: LineOutcome[] = lines.map(() => reject('not applied'));
    if (lines.length === 0) return outcomes;
    const { logs } = this.deps;
    const clientRefs = [...new Set(lines.map((l) => l.line.client.camsReference))];
    const existingClients = await logs.clients.overlay(
      // Equality lookups whatever the size known at start: the collections grow as the import goes.
      await findWhereIn<ClientDoc>(this.clients, 'camsReference', clientRefs, { lookups: 'always' }),
    );
    const clientByRef = new Map(existingClients.map((c) => [c.camsReference, c]));
    // A plan belongs to its client, so the plans that can exist already are those of existing
    // clients: one lookup per known client, none for a new one (a first import reads no plans).
    const plansOfClient = new Map<string, ActionPlanDoc[]>();
    const planByRef = new Map<string, ActionPlanDoc>();
    if (existingClients.length > 0) {
      const plans = await logs.plans.overlay(
        await findWhereIn<ActionPlanDoc>(
          this.plans,
          'clientId',
          existingClients.map((c) => c._id),
          { lookups: 'always' },
        ),
      );
      for (const plan of plans) {
        plansOfClient.set(plan.clientId, [...(plansOfClient.get(plan.clientId) ?? []), plan]);
        planByRef.set(plan.camsReference, plan);
      }
    }
    // Every provider a line names: the serving one, those of plan items and active offers.
    const providers = await this.deps.directory.providers([
      ...new Set(
        lines.flatMap(({ line }) => [
          line.providerId,
          ...(line.goal?.subGoals ?? []).flatMap((sub) => sub.items.map((item) => item.providerId)),
          ...(line.activeOffers ?? []).map((offer) => offer.providerId),
        ]),
      ),
    ]);
    if (!this.deps.directory.available) {
      return lines.map(() =>
        reject('the provider directory (contracts service) is unavailable; import the line again later'),
      );
    }
    const periods = new Map<string, CatchmentPeriods | MutationError>();
    for (const catchmentId of new Set(lines.map((l) => l.line.catchmentId))) {
      periods.set(catchmentId, await this.deps.periods.periodsOf(catchmentId, 'catchmentId'));
    }

    const newClients: { index: number; state: Omit<ClientDoc, 'version'> }[] = [];
    const newPlans: { index: number; state: Omit<ActionPlanDoc, 'version'> }[] = [];
    const servingMoves = new Map<string, { client: ClientDoc; catchmentId: string; providerId: string }>();
    const today = todayInOntario();
    lines.forEach(({ line }, index) => {
      const existingPlan = planByRef.get(line.camsReference);
      const knownClient = clientByRef.get(line.client.camsReference);
      const clientState = knownClient ?? clientFromLine(line, actor);
      const built = buildPlan(
        line,
        clientState,
        providers,
        periods.get(line.catchmentId),
        today,
        actor,
        this.deps.outcomeConfig,
      );
      if ('rejected' in built) {
        outcomes[index] = reject(built.rejected);
        return;
      }
      if (existingPlan) {
        const existingClient = existingPlan.clientId === knownClient?._id ? knownClient : null;
        outcomes[index] =
          existingClient &&
          sameClient(existingClient, line) &&
          formatActionPlanLine(lineOf(existingPlan, existingClient)) ===
            formatActionPlanLine(lineOf({ ...built, version: existingPlan.version }, existingClient))
            ? { status: 'unchanged' }
            : reject(`plan ${line.camsReference} exists with different content; change it through the API`);
        return;
      }
      if (knownClient && !sameClient(knownClient, line)) {
        outcomes[index] = reject(
          `client ${line.client.camsReference} is registered with different details; change them through updateClient first`,
        );
        return;
      }
      const theirPlans = plansOfClient.get(clientState._id) ?? [];
      if (line.status === 'ACTIVE') {
        const active = theirPlans.find((p) => p.status === 'ACTIVE');
        if (active) {
          outcomes[index] = reject(
            `client ${line.client.camsReference} already has an active action plan (${active.camsReference})`,
          );
          return;
        }
      }
      const sequence = Math.max(0, ...theirPlans.map((p) => p.sequence)) + 1;
      const plan = {
        ...built,
        _id: planIdFor(clientState._id, sequence),
        clientId: clientState._id,
        sequence,
      };
      if (!knownClient) {
        newClients.push({ index, state: clientState });
        clientByRef.set(line.client.camsReference, { ...clientState, version: 1 } as ClientDoc);
      } else {
        const latest = [...theirPlans].sort((a, b) => a.startedOn.localeCompare(b.startedOn)).at(-1);
        if (
          (!latest || latest.startedOn <= plan.startedOn) &&
          (knownClient.catchmentId !== plan.catchmentId || knownClient.providerId !== plan.providerId)
        ) {
          servingMoves.set(knownClient._id, {
            client: knownClient,
            catchmentId: plan.catchmentId,
            providerId: plan.providerId,
          });
        }
      }
      newPlans.push({ index, state: plan });
      plansOfClient.set(clientState._id, [...theirPlans, { ...plan, version: 1 } as ActionPlanDoc]);
      planByRef.set(line.camsReference, { ...plan, version: 1 } as ActionPlanDoc);
      outcomes[index] = { status: 'accepted' };
    });

    const reason = 'Batch import of action plans';
    const clientOutcomes = await logs.clients.createMany(
      actor,
      newClients.map(({ state }) => ({
        state,
        change: {
          kind: 'CREATE',
          reason,
          events: [
            {
              type: 'ClientRegistered',
              catchmentId: state.catchmentId,
              data: { providerId: state.providerId },
            },
          ],
        },
      })),
      // A batch import loads history: its events stay in the audit log, unannounced (ADR 0018).
      { publish: false },
    );
    const failedClients = new Set<string>();
    clientOutcomes.forEach((o, i) => {
      if (o === 'duplicate') failedClients.add(newClients[i]!.state._id);
    });
    const writable = newPlans.filter(({ index, state }) => {
      if (!failedClients.has(state.clientId)) return true;
      outcomes[index] = reject(
        'the client was registered concurrently by another caller; import the line again',
      );
      return false;
    });
    const planOutcomes = await logs.plans.createMany(
      actor,
      writable.map(({ state }) => ({
        state,
        change: {
          kind: 'START',
          reason,
          asOf: state.startedOn,
          events: [
            {
              type: 'ActionPlanStarted',
              catchmentId: state.catchmentId,
              data: { providerId: state.providerId, clientId: state.clientId },
            },
            ...(state.status === 'CLOSED'
              ? [
                  {
                    type: 'ActionPlanClosed',
                    catchmentId: state.catchmentId,
                    data: { providerId: state.providerId, clientId: state.clientId },
                  },
                ]
              : []),
          ],
        },
      })),
      // A batch import loads history: its events stay in the audit log, unannounced (ADR 0018).
      { publish: false },
    );
    planOutcomes.forEach((o, i) => {
      if (o === 'duplicate') {
        outcomes[writable[i]!.index] = reject(
          'the client started another plan concurrently; import the line again',
        );
      }
    });
    const moves = [...servingMoves.values()];
    for (let i = 0; i < moves.length; i += MOVE_CONCURRENCY) {
      await Promise.all(
        moves.slice(i, i + MOVE_CONCURRENCY).map((move) =>
          logs.clients.change(actor, move.client._id, { reason }, () => ({
            kind: 'SERVING',
            before: { catchmentId: move.client.catchmentId, providerId: move.client.providerId },
            after: { catchmentId: move.catchmentId, providerId: move.providerId },
            set: { catchmentId: move.catchmentId, providerId: move.providerId },
          })),
        ),
      );
    }
    return outcomes;
  }
}

function clientFromLine(line: ActionPlanLine, actor: Actor): Omit<ClientDoc, 'version'> {
  return {
    _id: newClientId(),
    camsReference: line.client.camsReference,
    givenName: line.client.givenName,
    familyName: line.client.familyName,
    birthDate: line.client.birthDate,
    contact: line.client.contact
      ? { email: line.client.contact.email ?? null, phone: line.client.contact.phone ?? null }
      : null,
    equity: equityOfLine(line),
    catchmentId: line.catchmentId,
    providerId: line.providerId,
    createdAt: new Date(),
    createdBy: actor.subject,
  };
}

const equityOfLine = (line: ActionPlanLine): ClientDoc['equity'] => ({
  indigenous: line.client.indigenous ?? null,
  francophone: line.client.francophone ?? null,
  disability: line.client.disability ?? null,
  newcomer: line.client.newcomer ?? null,
  racialized: line.client.racialized ?? null,
});

function sameClient(client: ClientDoc, line: ActionPlanLine): boolean {
  const contact = line.client.contact
    ? { email: line.client.contact.email ?? null, phone: line.client.contact.phone ?? null }
    : null;
  return (
    client.givenName === line.client.givenName &&
    client.familyName === line.client.familyName &&
    client.birthDate === line.client.birthDate &&
    JSON.stringify(client.equity) === JSON.stringify(equityOfLine(line)) &&
    JSON.stringify(client.contact) === JSON.stringify(contact)
  );
}

/** The plan a line describes, after every rule that does not need the database; or why not. */
function buildPlan(
  line: ActionPlanLine,
  client: Omit<ClientDoc, 'version'>,
  providers: Map<string, DirectoryProvider>,
  periods: CatchmentPeriods | MutationError | undefined,
  today: string,
  actor: Actor,
  config: OutcomeConfig,
): Omit<ActionPlanDoc, 'version'> | { rejected: string } {
  const reject = (reason: string) => ({ rejected: reason });
  const provider = providers.get(line.providerId);
  const details =
    validateCamsClientReference(line.client.camsReference, 'client.camsReference') ??
    validateClientDetails(line.client, 'client');
  if (details) return reject(`${details.field ?? 'client'}: ${details.message}`);
  if (!periods || 'code' in periods) return reject(`catchmentId: ${periods?.message ?? 'unknown catchment'}`);
  if (!provider) return reject(`providerId: no service provider ${line.providerId}`);
  const sites = provider.sites.filter((s) => s.catchmentId === line.catchmentId);
  if (sites.length === 0)
    return reject(`providerId: provider ${line.providerId} has no site serving ${line.catchmentId}`);
  const siteId = line.siteId ?? sites[0]!.id;
  if (!sites.some((s) => s.id === siteId))
    return reject(`siteId: ${siteId} is not a site of ${line.providerId} serving ${line.catchmentId}`);
  if (line.startedOn > today) return reject('startedOn: must not be in the future');
  const assessment = line.assessment
    ? { stream: line.assessment.stream, assessedOn: line.assessment.assessedOn }
    : null;
  const ruled = refuseMissingAssessment(periods, line.startedOn, assessment);
  if (ruled) return reject(`assessment: ${ruled.message}`);
  if (line.status === 'CLOSED') {
    if (!line.closedOn) return reject('closedOn: a CLOSED plan needs its closing date');
    if (line.closedOn < line.startedOn) return reject('closedOn: before the plan started');
    if (line.closedOn > today) return reject('closedOn: must not be in the future');
  } else if (line.closedOn) return reject('closedOn: an ACTIVE plan has no closing date');
  // The API's rules for what a plan holds: goal tree, review dates, active offers, their providers.
  const structure =
    (line.goal
      ? validatePlanStructure(
          {
            goal: line.goal.description,
            subGoals: line.goal.subGoals.map((sub) => ({
              description: sub.description,
              items: sub.items.map((item) => ({
                ...item,
                endDate: item.endDate ?? null,
                outcome: item.outcome ?? null,
              })),
            })),
          },
          line.startedOn,
          today,
          'goal',
        )
      : null) ??
    validatePlanDates({ startedOn: line.startedOn, reviewDates: line.reviewDates ?? [] }, today, 'plan');
  if (structure) return reject(`${structure.field ?? 'plan'}: ${structure.message}`);
  const unknownItemProvider = (line.goal?.subGoals ?? [])
    .flatMap((sub) => sub.items.map((item) => item.providerId))
    .find((id) => !providers.has(id));
  if (unknownItemProvider) return reject(`goal: no service provider ${unknownItemProvider}`);
  for (const [i, offer] of (line.activeOffers ?? []).entries()) {
    const offeredBy = providers.get(offer.providerId);
    if (!offeredBy) return reject(`activeOffers.${i}.providerId: no service provider ${offer.providerId}`);
    const refused = validateActiveOffer(
      offer.kind,
      equityOfLine(line),
      { provider: offeredBy, answer: offer.answer, answeredOn: offer.offeredOn },
      today,
      `activeOffers.${i}`,
    );
    if (refused) return reject(`${refused.field ?? `activeOffers.${i}`}: ${refused.message}`);
  }
  const atStart = validateEmploymentAtStart(line.employmentAtStart ?? [], 'employmentAtStart');
  if (atStart) return reject(`${atStart.field}: ${atStart.message}`);
  for (const [i, job] of line.jobs.entries()) {
    const invalid = validateJob(job, `jobs.${i}`);
    if (invalid) return reject(`${invalid.field}: ${invalid.message}`);
  }
  const planId = 'pending';
  const draft: Omit<ActionPlanDoc, 'version'> = {
    _id: planId,
    camsReference: line.camsReference,
    clientId: client._id,
    sequence: 0,
    catchmentId: line.catchmentId,
    providerId: line.providerId,
    siteId,
    leadCaseworker: line.leadCaseworker ?? null,
    referralSource: line.referralSource,
    assessment: assessment
      ? { id: `${line.camsReference}-ca`, ...assessment, assessedBy: actor.subject }
      : null,
    startedOn: line.startedOn,
    status: line.status,
    closedOn: line.closedOn ?? null,
    closingReason: line.status === 'CLOSED' ? (line.closingReason ?? 'OTHER') : null,
    goal: line.goal
      ? {
          description: line.goal.description,
          subGoals: line.goal.subGoals.map((sub, s) => ({
            description: sub.description,
            items: sub.items.map((item, i) => ({
              id: `${line.camsReference}-g${s + 1}-i${i + 1}`,
              service: item.service,
              providerId: item.providerId,
              startDate: item.startDate,
              endDate: item.endDate ?? null,
              status: item.status,
              outcome: item.outcome ?? null,
            })),
          })),
        }
      : null,
    reviewDates: [...(line.reviewDates ?? [])].sort(),
    referralsOut: (line.referralsOut ?? []).map((r) => ({
      programId: r.programId,
      referredOn: r.referredOn,
      note: r.note ?? null,
    })),
    activeOffers: (line.activeOffers ?? []).map((o) => ({ ...o, recordedBy: actor.subject })),
    employmentAtStart: (line.employmentAtStart ?? []).map((e) => ({
      employer: e.employer,
      hoursPerWeek: e.hoursPerWeek,
    })),
    jobs: line.jobs.map((job) => ({ ...job, subsidizedUntil: job.subsidizedUntil ?? null })),
    checkpoints: [],
    equityAtStart: { ...equityOfLine(line), youth: isYouth(line.client.birthDate, line.startedOn) },
    createdAt: new Date(),
    createdBy: actor.subject,
  };
  const checkpoints: CheckpointDoc[] = [];
  for (const [i, c] of line.checkpoints.entries()) {
    const dueOn = checkpointDueOn(draft, c.checkpoint);
    if (!dueOn) return reject(`checkpoints.${i}: a checkpoint needs a job`);
    if (!isIsoDate(c.verifiedOn) || c.verifiedOn < dueOn)
      return reject(`checkpoints.${i}.verifiedOn: before the checkpoint's date ${dueOn}`);
    if (c.verifiedOn > today) return reject(`checkpoints.${i}.verifiedOn: must not be in the future`);
    if (checkpoints.some((v) => v.checkpoint === c.checkpoint))
      return reject(`checkpoints.${i}: ${c.checkpoint} appears twice`);
    const attestationPreApproved = c.attestationPreApproved ?? false;
    const verdict = assessPlanCheckpoint(
      draft,
      {
        checkpoint: c.checkpoint,
        verifiedOn: c.verifiedOn,
        employed: c.employed,
        evidence: c.evidence,
        attestationPreApproved,
        dueOn,
      },
      config,
    );
    checkpoints.push({
      checkpoint: c.checkpoint,
      verifiedOn: c.verifiedOn,
      employed: c.employed,
      evidence: c.evidence,
      attestationPreApproved,
      fundedOutcome: verdict.funded,
      outcomeReasons: verdict.reasons,
      usesConcurrentJobs: verdict.usesConcurrentJobs,
      verifiedBy: actor.subject,
    });
  }
  return { ...draft, checkpoints };
}

/** A plan and its client as one exchange line (the export format). */
export function lineOf(plan: ActionPlanDoc, client: ClientDoc): ActionPlanLine {
  return {
    camsReference: plan.camsReference,
    client: {
      camsReference: client.camsReference,
      givenName: client.givenName,
      familyName: client.familyName,
      birthDate: client.birthDate,
      ...client.equity,
      contact: client.contact,
    },
    catchmentId: plan.catchmentId,
    providerId: plan.providerId,
    siteId: plan.siteId,
    leadCaseworker: plan.leadCaseworker,
    referralSource: plan.referralSource,
    assessment: plan.assessment
      ? { stream: plan.assessment.stream, assessedOn: plan.assessment.assessedOn }
      : null,
    startedOn: plan.startedOn,
    status: plan.status,
    closedOn: plan.closedOn,
    closingReason: plan.closingReason,
    goal: plan.goal
      ? {
          description: plan.goal.description,
          subGoals: plan.goal.subGoals.map((sub) => ({
            description: sub.description,
            items: sub.items.map(({ id: _id, ...item }) => item),
          })),
        }
      : null,
    reviewDates: plan.reviewDates,
    referralsOut: plan.referralsOut,
    activeOffers: plan.activeOffers.map(({ recordedBy: _by, ...offer }) => offer),
    employmentAtStart: plan.employmentAtStart,
    jobs: plan.jobs,
    checkpoints: plan.checkpoints.map((c) => ({
      checkpoint: c.checkpoint,
      verifiedOn: c.verifiedOn,
      employed: c.employed,
      evidence: c.evidence,
      attestationPreApproved: c.attestationPreApproved,
    })),
  } as ActionPlanLine;
}
