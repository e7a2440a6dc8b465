import type { Principal } from '@ies/auth';
import type { CatchmentPeriodService } from '@ies/catchment-read-model';
import type { ChangeLog, EventDraft, PlannedChange } from '@ies/change-log';
import { todayInOntario } from '@ies/calendar';
import { findWhereIn } from '@ies/db';
import {
  findPageById,
  forbidden,
  mutationError,
  validateReason,
  type Connection,
  type MutationError,
  type PageArgs,
} from '@ies/subgraph-kit';
import type { ClientService } from '../client/client.service';
import { isYouth } from '../client/equity';
import {
  canSeeClientData,
  clientDataScope,
  refuseClientDataRole,
  refuseServingOutsideScope,
} from '../common/access';
import { validateText } from '../common/text';
import { unknownProvider, type ProviderDirectory } from '../provider-directory/provider-directory';
import { planIdFor } from './action-plan-ids';
import type {
  ActionPlanDoc,
  ActionPlanModel,
  ClosingReason,
  PlanStatus,
  ReferralSource,
  Stream,
} from './action-plan.model';
import {
  refuseChangingClosedPlan,
  refuseMissingAssessment,
  validatePlanClosing,
  validatePlanDates,
} from './plan-rules';

export interface ActionPlanPayload {
  ok: boolean;
  actionPlan: ActionPlanDoc | null;
  error: MutationError | null;
}

export interface ActionPlanFilter {
  catchmentId?: string | null;
  providerId?: string | null;
  clientId?: string | null;
  status?: PlanStatus | null;
}

export interface StartActionPlanInput {
  clientId: string;
  camsReference: string;
  catchmentId: string;
  providerId: string;
  siteId?: string | null;
  leadCaseworker?: string | null;
  referralSource: ReferralSource;
  assessment?: { stream: Stream; assessedOn: string } | null;
  startedOn: string;
  /** Jobs the client held when the plan started (default none). */
  employmentAtStart?: { employer: string; hoursPerWeek: number }[] | null;
  reason: string;
}

export interface PlanChangeInput {
  planId: string;
  reason: string;
  expectedVersion?: number | null;
}

/** What a plan change decides, on the plan's latest state. */
export type PlanChange = Omit<PlannedChange<ActionPlanDoc>, 'events'> & { events?: EventDraft[] };

const failed = (error: MutationError): ActionPlanPayload => ({ ok: false, actionPlan: null, error });

const PLAN_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * Reads and changes employment action plans. Reads carry the caller's scope; every change is a record
 * of the plan's change log, checked against the plan's latest state, and refused (changing nothing)
 * for a closed plan, a caller out of scope (answered as NOT_FOUND), or a broken rule.
 */
export class ActionPlanService {
  constructor(
    private readonly plans: ActionPlanModel,
    private readonly log: ChangeLog<ActionPlanDoc>,
    private readonly clients: ClientService,
    private readonly directory: ProviderDirectory,
    private readonly periods: CatchmentPeriodService,
  ) {}

  async findByIds(principal: Principal, ids: readonly string[]): Promise<ActionPlanDoc[]> {
    return this.findByField(principal, '_id', ids);
  }

  async findByField(
    principal: Principal,
    field: '_id' | 'clientId' | 'providerId' | 'camsReference',
    values: readonly string[],
  ): Promise<ActionPlanDoc[]> {
    const scope = clientDataScope(principal);
    if (scope === null) return [];
    const found = await findWhereIn<ActionPlanDoc>(this.plans, field, values, {
      where: scope,
      sortBy: '_id',
    });
    return (await this.log.overlay(found)).filter((plan) => canSeeClientData(principal, plan));
  }

  /** Every plan of these clients, unscoped: for the service's own rules. */
  async plansOfClients(clientIds: readonly string[]): Promise<ActionPlanDoc[]> {
    return this.log.overlay(await findWhereIn<ActionPlanDoc>(this.plans, 'clientId', clientIds));
  }

  async list(
    principal: Principal,
    filter: ActionPlanFilter,
    page: PageArgs,
  ): Promise<Connection<ActionPlanDoc>> {
    const scope = clientDataScope(principal);
    if (scope === null) {
      throw forbidden(
        `Action plans are listed only to their serving provider, SSM or the ministry; caller is ${principal.role}`,
      );
    }
    const query: Record<string, unknown>[] = [scope];
    if (filter.catchmentId) query.push({ catchmentId: filter.catchmentId });
    if (filter.providerId) query.push({ providerId: filter.providerId });
    if (filter.clientId) query.push({ clientId: filter.clientId });
    if (filter.status) query.push({ status: filter.status });
    return this.log.overlayPage(await findPageById(this.plans, query, page));
  }

  async start(principal: Principal, input: StartActionPlanInput): Promise<ActionPlanPayload> {
    const early =
      refuseClientDataRole(principal, 'start action plans') ??
      validateReason(input.reason) ??
      (PLAN_REFERENCE.test(input.camsReference)
        ? null
        : mutationError(
            'VALIDATION_FAILED',
            'A CaMS reference is 1–64 letters, digits, "-" or "_", starting with a letter or digit',
            'input.camsReference',
          )) ??
      validatePlanDates({ startedOn: input.startedOn }, todayInOntario()) ??
      (input.leadCaseworker
        ? validateText(input.leadCaseworker, 'input.leadCaseworker', { max: 200 })
        : null) ??
      validateEmploymentAtStart(input.employmentAtStart ?? []) ??
      refuseServingOutsideScope(principal, input);
    if (early) return failed(early);
    const [client] = await this.clients.findByIds(principal, [input.clientId]);
    if (!client) return failed(mutationError('NOT_FOUND', `No client ${input.clientId}`, 'input.clientId'));
    const provider = (await this.directory.providers([input.providerId])).get(input.providerId);
    if (!provider) {
      return failed(unknownProvider(this.directory, input.providerId, 'input.providerId'));
    }
    const sites = provider.sites.filter((s) => s.catchmentId === input.catchmentId);
    if (sites.length === 0) {
      return failed(
        mutationError(
          'RULE_VIOLATION',
          `Provider ${input.providerId} has no site serving catchment ${input.catchmentId}`,
          'input.providerId',
        ),
      );
    }
    const siteId = input.siteId ?? sites[0]!.id;
    if (!sites.some((s) => s.id === siteId)) {
      return failed(
        mutationError(
          'RULE_VIOLATION',
          `Site ${siteId} is not a site of provider ${input.providerId} serving ${input.catchmentId}`,
          'input.siteId',
        ),
      );
    }
    const periods = await this.periods.periodsOf(input.catchmentId);
    if ('code' in periods) return failed(periods);
    const assessment = input.assessment ?? null;
    const ruled = refuseMissingAssessment(periods, input.startedOn, assessment);
    if (ruled) return failed(ruled);
    const existing = await this.plansOfClients([client._id]);
    const active = existing.find((p) => p.status === 'ACTIVE');
    if (active) {
      return failed(
        mutationError(
          'CONFLICT',
          `Client ${client._id} already has an active action plan (${active._id}); close it first`,
          'input.clientId',
        ),
      );
    }
    if (await this.plans.exists({ camsReference: input.camsReference })) {
      return failed(
        mutationError(
          'CONFLICT',
          `An action plan ${input.camsReference} exists already`,
          'input.camsReference',
        ),
      );
    }
    const sequence = Math.max(0, ...existing.map((p) => p.sequence)) + 1;
    const created = await this.log.create(
      principal,
      {
        _id: planIdFor(client._id, sequence),
        camsReference: input.camsReference,
        clientId: client._id,
        sequence,
        catchmentId: input.catchmentId,
        providerId: input.providerId,
        siteId,
        leadCaseworker: input.leadCaseworker?.trim() || null,
        referralSource: input.referralSource,
        assessment: assessment
          ? { id: `${planIdFor(client._id, sequence)}-ca`, ...assessment, assessedBy: principal.subject }
          : null,
        startedOn: input.startedOn,
        status: 'ACTIVE',
        closedOn: null,
        closingReason: null,
        goal: null,
        reviewDates: [],
        referralsOut: [],
        activeOffers: [],
        employmentAtStart: (input.employmentAtStart ?? []).map((e) => ({
          employer: e.employer.trim(),
          hoursPerWeek: e.hoursPerWeek,
        })),
        jobs: [],
        checkpoints: [],
        equityAtStart: { ...client.equity, youth: isYouth(client.birthDate, input.startedOn) },
        createdAt: new Date(),
        createdBy: principal.subject,
      },
      {
        kind: 'START',
        reason: input.reason,
        asOf: input.startedOn,
        events: [
          {
            type: 'ActionPlanStarted',
            catchmentId: input.catchmentId,
            // Ids only: a referral source, a stream or a closing reason is personal data.
            data: { providerId: input.providerId, clientId: input.clientId },
          },
        ],
      },
    );
    if (created.status === 'duplicate') {
      return failed(
        mutationError(
          'CONFLICT',
          `Client ${client._id} started another action plan at the same time; re-read and retry`,
          'input.clientId',
        ),
      );
    }
    const served = await this.clients.serveBy(principal, client, input, input.reason);
    if ('code' in served) {
      // The plan stands (it is the newer fact); the client's serving provider catches up on the next start.
    }
    return { ok: true, actionPlan: created.state, error: null };
  }

  close(
    principal: Principal,
    input: PlanChangeInput & { closedOn: string; closingReason: ClosingReason },
  ): Promise<ActionPlanPayload> {
    return this.change(principal, input, 'close action plans', (plan) => {
      const invalid = validatePlanClosing(
        plan,
        { closedOn: input.closedOn, reason: input.closingReason, note: input.reason },
        todayInOntario(),
      );
      if (invalid) return invalid;
      return {
        kind: 'CLOSE',
        before: { status: plan.status },
        after: { status: 'CLOSED', closedOn: input.closedOn, closingReason: input.closingReason },
        set: { status: 'CLOSED', closedOn: input.closedOn, closingReason: input.closingReason },
        events: [planEvent('ActionPlanClosed', plan)],
      };
    });
  }

  /**
   * Applies one change to a plan's latest state: the caller must have the plan in scope (otherwise
   * NOT_FOUND, as for an unknown id), a closed plan is read-only unless `allowClosed`, then `plan`
   * decides. Of simultaneous changes exactly one wins each version; the others get CONFLICT.
   */
  async change(
    principal: Principal,
    input: PlanChangeInput,
    action: string,
    plan: (doc: ActionPlanDoc) => PlanChange | MutationError | Promise<PlanChange | MutationError>,
    { allowClosed = false }: { allowClosed?: boolean } = {},
  ): Promise<ActionPlanPayload> {
    const early = refuseClientDataRole(principal, action) ?? validateReason(input.reason);
    if (early) return failed(early);
    const notFound = mutationError('NOT_FOUND', `No action plan ${input.planId}`, 'input.planId');
    const outcome = await this.log.change<MutationError>(principal, input.planId, input, async (doc) => {
      if (!canSeeClientData(principal, doc)) return { refused: notFound };
      const closed = allowClosed ? null : refuseChangingClosedPlan(doc.status);
      if (closed) return { refused: closed };
      const planned = await plan(doc);
      return 'code' in planned ? { refused: planned } : planned;
    });
    switch (outcome.status) {
      case 'applied':
        return { ok: true, actionPlan: outcome.state, error: null };
      case 'refused':
        return failed(outcome.refusal);
      case 'not-found':
        return failed(notFound);
      case 'conflict':
        return failed(
          typeof input.expectedVersion === 'number' && input.expectedVersion !== outcome.version
            ? mutationError(
                'CONFLICT',
                `Action plan ${input.planId} is at version ${outcome.version}, not ${input.expectedVersion}; re-read and retry`,
                'input.expectedVersion',
              )
            : mutationError(
                'CONFLICT',
                `Action plan ${input.planId} changed concurrently; re-read and retry`,
              ),
        );
    }
  }
}

export const MAX_JOBS_AT_START = 10;

export function validateEmploymentAtStart(
  jobs: { employer: string; hoursPerWeek: number }[],
  path = 'input.employmentAtStart',
): MutationError | null {
  if (jobs.length > MAX_JOBS_AT_START) {
    return mutationError('VALIDATION_FAILED', `At most ${MAX_JOBS_AT_START} jobs at start`, path);
  }
  for (const [i, job] of jobs.entries()) {
    const invalid =
      validateText(job.employer, `${path}.${i}.employer`) ??
      (Number.isFinite(job.hoursPerWeek) && job.hoursPerWeek > 0 && job.hoursPerWeek <= 168
        ? null
        : mutationError(
            'VALIDATION_FAILED',
            'hoursPerWeek must be more than 0 and at most 168',
            `${path}.${i}.hoursPerWeek`,
          ));
    if (invalid) return invalid;
  }
  return null;
}

/**
 * An event of an action plan, in its catchment. Data holds ids (and codes such as a checkpoint) only:
 * subscribers read anything personal through the API, with their own access.
 */
export const planEvent = (
  type: string,
  plan: ActionPlanDoc,
  data: Record<string, unknown> = {},
): EventDraft => ({
  type,
  catchmentId: plan.catchmentId,
  data: { providerId: plan.providerId, clientId: plan.clientId, ...data },
});
