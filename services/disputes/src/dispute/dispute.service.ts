import type { Principal } from '@ies/auth';
import type { ChangeLog } from '@ies/change-log';
import { todayInOntario, type IsoDate } from '@ies/calendar';
import { findWhereIn } from '@ies/db';
import {
  badUserInput,
  findPageById,
  mutationError,
  validateReason,
  type Connection,
  type MutationError,
  type PageArgs,
} from '@ies/subgraph-kit';
import type { DisputeCategoryService } from '../category/dispute-category.service';
import {
  canSeeDispute,
  disputeReadScope,
  refuseOpening,
  refuseRole,
  refuseTransition,
  scopedConditions,
} from '../common/access';
import { assertIdentifiers, refuseIdentifiers } from '../common/identifiers';
import type { PeriodsSource } from '../common/periods-source';
import { seedProviderSites, type ProviderSites } from '../common/provider-sites';
import type { SlaPolicyService } from '../sla-policy/sla-policy.service';
import { disputeIdFor, newDisputeReference, reopeningReference } from './dispute-ids';
import {
  openDispute,
  reopenDispute,
  transitionDispute,
  type DisputeKind,
  type DisputeStatus,
  type ResolutionOutcome,
} from './dispute-lifecycle';
import type { DisputeDoc, DisputeModel } from './dispute.model';
import {
  refuseBackdating,
  refuseCategory,
  refuseChosenReference,
  refuseFutureDate,
  refuseParties,
  refuseProviderCatchment,
  ssmHearingDisputes,
} from './dispute-opening';
import { newDisputeDoc, stateOf, transitionPlan } from './dispute-state';

export interface DisputeFilter {
  catchmentId?: string | null;
  providerId?: string | null;
  clientId?: string | null;
  status?: DisputeStatus | null;
  kind?: DisputeKind | null;
  category?: string | null;
  open?: boolean | null;
}

export interface OpenDisputeInput {
  kind: DisputeKind;
  catchmentId: string;
  clientId?: string | null;
  providerId?: string | null;
  category: string;
  description: string;
  reference?: string | null;
  on?: IsoDate | null;
}

export interface TransitionInput {
  disputeId: string;
  to: DisputeStatus;
  reason: string;
  on?: IsoDate | null;
  expectedVersion?: number | null;
  resolution?: { outcome: ResolutionOutcome; summary: string } | null;
}

export interface ReopenInput {
  disputeId: string;
  reason: string;
  on?: IsoDate | null;
}

export interface DisputePayload {
  ok: boolean;
  dispute: DisputeDoc | null;
  error: MutationError | null;
}

export const EMPTY_PAGE: Connection<DisputeDoc> = Object.freeze({
  edges: [],
  pageInfo: { hasNextPage: false, endCursor: null },
  totalCount: 0,
}) as Connection<DisputeDoc>;

const failed = (error: MutationError): DisputePayload => ({ ok: false, dispute: null, error });
const notFound = (id: string) => mutationError('NOT_FOUND', `No dispute ${id}`, 'input.disputeId');
/** The reason of OPENED is the description; its refusal names the description. */
const validateDescription = (description: string) => {
  const refusal = validateReason(description);
  return refusal && { ...refusal, field: 'input.description' };
};

export interface DisputeServiceDeps {
  disputes: DisputeModel;
  log: ChangeLog<DisputeDoc>;
  categories: DisputeCategoryService;
  policies: SlaPolicyService;
  periods: PeriodsSource;
  /** The catchments each provider has a site in (default: the seed's provider network). */
  providers?: ProviderSites;
}

/** Reads and changes disputes: every change goes through the lifecycle and the change log. */
export class DisputeService {
  constructor(private readonly deps: DisputeServiceDeps) {}

  /** The disputes of these ids the caller may see (out of scope and unknown alike: absent). */
  async findByIds(principal: Principal, ids: readonly string[]): Promise<DisputeDoc[]> {
    const scope = disputeReadScope(principal);
    return scope === null ? [] : this.deps.log.findByIds(ids, scope);
  }

  /** The disputes of these catchments, providers or clients the caller may see, in id order. */
  async findByField(
    principal: Principal,
    field: 'catchmentId' | 'providerId' | 'clientId',
    values: readonly string[],
  ): Promise<DisputeDoc[]> {
    const scope = disputeReadScope(principal);
    if (scope === null) return [];
    const found = await findWhereIn<DisputeDoc>(this.deps.disputes, field, values, {
      where: scope,
      sortBy: '_id',
    });
    return this.deps.log.overlay(found);
  }

  async list(principal: Principal, filter: DisputeFilter, page: PageArgs): Promise<Connection<DisputeDoc>> {
    assertIdentifiers({
      'filter.catchmentId': filter.catchmentId,
      'filter.providerId': filter.providerId,
      'filter.clientId': filter.clientId,
      'filter.category': filter.category,
    });
    const equalities: Record<string, string> = {};
    for (const field of ['catchmentId', 'providerId', 'clientId'] as const) {
      if (filter[field]) equalities[field] = filter[field]!;
    }
    if (Object.keys(equalities).length === 0)
      throw badUserInput('Name a catchmentId, providerId or clientId in the filter', 'filter');
    const scoped = scopedConditions(principal, equalities);
    if (scoped === null) return { ...EMPTY_PAGE, edges: [] };
    const conditions: Record<string, unknown>[] = [scoped];
    if (filter.status) conditions.push({ status: filter.status });
    if (filter.kind) conditions.push({ kind: filter.kind });
    if (filter.category) conditions.push({ category: filter.category });
    if (typeof filter.open === 'boolean') conditions.push({ open: filter.open });
    return this.deps.log.overlayPage(await findPageById(this.deps.disputes, conditions, page));
  }

  async open(principal: Principal, input: OpenDisputeInput): Promise<DisputePayload> {
    const today = todayInOntario();
    const on = input.on ?? today;
    const providerId = input.providerId ?? null;
    const clientId = input.clientId ?? null;
    const early =
      refuseRole(principal, 'open disputes') ??
      refuseIdentifiers({
        'input.catchmentId': input.catchmentId,
        'input.clientId': input.clientId,
        'input.providerId': input.providerId,
        'input.category': input.category,
      }) ??
      validateDescription(input.description) ??
      refuseFutureDate(on, today) ??
      refuseParties({ kind: input.kind, hasClient: clientId !== null, providerId }, 'input.clientId') ??
      refuseOpening(principal, { catchmentId: input.catchmentId, providerId }) ??
      refuseBackdating(principal, on, today) ??
      refuseChosenReference(principal, input.reference ?? null);
    if (early) return failed(early);
    if (principal.role === 'PROVIDER' && providerId !== null) {
      const sites = await (this.deps.providers ?? seedProviderSites()).catchmentsOf([providerId]);
      const refusal = refuseProviderCatchment(providerId, sites.get(providerId), input.catchmentId);
      if (refusal) return failed(refusal);
    }
    const categories = await this.deps.categories.byCode();
    const category = refuseCategory(input.category, categories.get(input.category), input.kind);
    if (category) return failed(category);
    const hearing = ssmHearingDisputes(
      input.catchmentId,
      await this.deps.periods.periodsOf(input.catchmentId),
      on,
    );
    if ('code' in hearing) return failed(hearing);
    const reference = input.reference ?? newDisputeReference(on);
    const opened = openDispute({
      reference,
      kind: input.kind,
      by: principal.subject,
      on,
      reason: input.description,
      providerParty: providerId !== null,
      slaPolicies: await this.deps.policies.versionsOf(hearing.ssmId),
    });
    if (!opened.ok) return failed(opened.error);
    const doc = newDisputeDoc(opened.dispute, {
      _id: disputeIdFor(reference),
      catchmentId: input.catchmentId,
      ssmId: hearing.ssmId,
      providerId,
      clientId,
      clientCamsReference: null,
      category: input.category,
      description: input.description.trim(),
      createdAt: new Date(),
      createdBy: principal.subject,
    });
    return this.create(principal, doc, 'OPEN', `A dispute with reference ${reference} exists already`);
  }

  /** Moves a dispute through the lifecycle, if the caller sees it and may make that move. */
  async transition(principal: Principal, input: TransitionInput): Promise<DisputePayload> {
    const today = todayInOntario();
    const on = input.on ?? today;
    const early =
      refuseRole(principal, 'change disputes') ??
      refuseIdentifiers({ 'input.disputeId': input.disputeId }) ??
      validateReason(input.reason) ??
      refuseFutureDate(on, today);
    if (early) return failed(early);
    const outcome = await this.deps.log.change<MutationError>(
      principal,
      input.disputeId,
      { reason: input.reason, asOf: on, expectedVersion: input.expectedVersion },
      (doc) => {
        if (!canSeeDispute(principal, doc)) return { refused: notFound(input.disputeId) };
        const refusal = refuseTransition(principal, doc, input.to);
        if (refusal) return { refused: refusal };
        const moved = transitionDispute(stateOf(doc), {
          to: input.to,
          by: principal.subject,
          on,
          reason: input.reason,
          resolution: input.resolution ?? null,
        });
        return moved.ok ? transitionPlan(doc, moved.dispute) : { refused: moved.error };
      },
    );
    switch (outcome.status) {
      case 'applied':
        return { ok: true, dispute: outcome.state, error: null };
      case 'refused':
        return failed(outcome.refusal);
      case 'not-found':
        return failed(notFound(input.disputeId));
      case 'conflict':
        return failed(
          typeof input.expectedVersion === 'number' && input.expectedVersion !== outcome.version
            ? mutationError(
                'CONFLICT',
                `Dispute ${input.disputeId} is at version ${outcome.version}, not ${input.expectedVersion}; re-read and retry`,
                'input.expectedVersion',
              )
            : mutationError('CONFLICT', `Dispute ${input.disputeId} changed concurrently; re-read and retry`),
        );
    }
  }

  /**
   * Reopens a closed dispute the caller sees as a new dispute (`<reference>-R<n>`), linked by
   * `reopenedFrom`, at the level it ended at, with fresh clocks under the SSM's policy in force.
   */
  async reopen(principal: Principal, input: ReopenInput): Promise<DisputePayload> {
    const today = todayInOntario();
    const on = input.on ?? today;
    const early =
      refuseRole(principal, 'reopen disputes') ??
      refuseIdentifiers({ 'input.disputeId': input.disputeId }) ??
      validateReason(input.reason) ??
      refuseFutureDate(on, today);
    if (early) return failed(early);
    const [closed] = await this.findByIds(principal, [input.disputeId]);
    if (!closed) return failed(notFound(input.disputeId));
    const reference = reopeningReference(closed);
    if (await this.deps.log.latest(disputeIdFor(reference))) {
      return failed(
        mutationError(
          'RULE_VIOLATION',
          `Dispute ${closed.reference} was reopened already as ${reference}; reopen that one once it is closed`,
          'input.disputeId',
        ),
      );
    }
    const hearing = ssmHearingDisputes(
      closed.catchmentId,
      await this.deps.periods.periodsOf(closed.catchmentId, 'input.disputeId'),
      on,
      'input.disputeId',
    );
    if ('code' in hearing) return failed(hearing);
    const reopened = reopenDispute(stateOf(closed), {
      reference,
      by: principal.subject,
      on,
      reason: input.reason,
      slaPolicies: await this.deps.policies.versionsOf(hearing.ssmId),
    });
    if (!reopened.ok) return failed(reopened.error);
    const doc = newDisputeDoc(reopened.dispute, {
      _id: disputeIdFor(reference),
      catchmentId: closed.catchmentId,
      ssmId: hearing.ssmId,
      providerId: closed.providerId,
      clientId: closed.clientId,
      clientCamsReference: closed.clientCamsReference,
      category: closed.category,
      description: input.reason.trim(),
      createdAt: new Date(),
      createdBy: principal.subject,
    });
    return this.create(principal, doc, 'REOPEN', `Dispute ${closed.reference} was reopened concurrently`);
  }

  private async create(
    principal: Principal,
    doc: Omit<DisputeDoc, 'version'>,
    kind: string,
    duplicate: string,
  ): Promise<DisputePayload> {
    const created = await this.deps.log.create(principal, doc, {
      kind,
      reason: doc.description,
      asOf: doc.openedOn,
      events: [
        {
          type: kind === 'REOPEN' ? 'DisputeReopened' : 'DisputeOpened',
          catchmentId: doc.catchmentId,
          data: {
            reference: doc.reference,
            kind: doc.kind,
            level: doc.level,
            category: doc.category,
            providerId: doc.providerId,
            reopenedFrom: doc.reopenedFrom,
          },
        },
      ],
    });
    if (created.status === 'duplicate') return failed(mutationError('CONFLICT', duplicate));
    return { ok: true, dispute: created.state, error: null };
  }
}
