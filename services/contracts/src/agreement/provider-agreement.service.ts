import { createHash } from 'node:crypto';
import type { ChangeLog } from '@ies/change-log';
import type { Principal } from '@ies/auth';
import { isIsoDate, todayInOntario, type IsoDate } from '@ies/calendar';
import { findWhereIn } from '@ies/db';
import {
  findPageById,
  mutationError,
  type Connection,
  type MutationError,
  type PageArgs,
  validateReason,
} from '@ies/subgraph-kit';
import { agreementReadScope, canReadAgreement, refuseAgreementChange } from '../common/access';
import { amend, amendmentsOf, type Amendment, type AmendmentPlan } from '../common/amendment';
import {
  sortTargets,
  validateTargets,
  validateFunding,
  validateTerm,
  type Funding,
  type PerformanceTarget,
} from '../common/terms';
import type { CatchmentPeriodService } from '@ies/catchment-read-model';
import { refuseNetworkChange } from '../catchment-period/network-change-gate';
import type { ProgramService } from '../program/program.service';
import type { ServiceProviderService } from '../service-provider/service-provider.service';
import {
  validateAgreementListSizes,
  refuseAmendingClosed,
  validateAgreementPrograms,
  validateAgreementSites,
  validateStatusChange,
} from './agreement-rules';
import type {
  AgreementKind,
  AgreementStatus,
  ProviderAgreementDoc,
  ProviderAgreementModel,
} from './provider-agreement.model';

export interface AgreementFilter {
  catchmentId?: string | null;
  providerId?: string | null;
  status?: AgreementStatus | null;
  kind?: AgreementKind | null;
}

export interface ProviderAgreementPayload {
  ok: boolean;
  agreement: ProviderAgreementDoc | null;
  error: MutationError | null;
}

export interface CreateAgreementInput {
  kind?: AgreementKind | null;
  catchmentId: string;
  providerId: string;
  programIds: string[];
  siteIds: string[];
  termStartDate: IsoDate;
  termEndDate: IsoDate;
  funding: Funding;
  targets: PerformanceTarget[];
  reason: string;
  asOf: IsoDate;
}

interface ChangeInput {
  agreementId: string;
  reason: string;
  asOf: IsoDate;
  expectedVersion?: number | null;
}

const failed = (error: MutationError): ProviderAgreementPayload => ({ ok: false, agreement: null, error });

/**
 * An agreement's id follows from its natural key (provider, catchment, kind, term start), so the
 * change log's unique version-1 record is what makes a retried or simultaneous create a CONFLICT.
 */
export const agreementIdFor = (key: {
  providerId: string;
  catchmentId: string;
  kind: AgreementKind;
  termStartDate: string;
}) =>
  `agr-${createHash('sha256')
    .update(JSON.stringify([key.providerId, key.catchmentId, key.kind, key.termStartDate]))
    .digest('hex')
    .slice(0, 20)}`;

/** Reads and changes SSM → provider agreements; every change to funding, targets or status is an amendment. */
export class ProviderAgreementService {
  constructor(
    private readonly agreements: ProviderAgreementModel,
    private readonly log: ChangeLog<ProviderAgreementDoc>,
    private readonly providers: ServiceProviderService,
    private readonly programs: ProgramService,
    private readonly periods: CatchmentPeriodService,
  ) {}

  findByIds(principal: Principal, ids: readonly string[]): Promise<ProviderAgreementDoc[]> {
    return this.findByField(principal, '_id', ids);
  }

  async findByField(
    principal: Principal,
    field: '_id' | 'catchmentId' | 'providerId',
    values: readonly string[],
  ): Promise<ProviderAgreementDoc[]> {
    const found = await findWhereIn<ProviderAgreementDoc>(this.agreements, field, values, {
      where: agreementReadScope(principal),
      sortBy: '_id',
    });
    return this.log.overlay(found);
  }

  amendmentsOf(ids: readonly string[]): Promise<Map<string, Amendment[]>> {
    return amendmentsOf(this.log, ids);
  }

  async list(
    principal: Principal,
    filter: AgreementFilter,
    page: PageArgs,
  ): Promise<Connection<ProviderAgreementDoc>> {
    const query: Record<string, unknown>[] = [];
    if (filter.catchmentId) query.push({ catchmentId: filter.catchmentId });
    if (filter.providerId) query.push({ providerId: filter.providerId });
    if (filter.status) query.push({ status: filter.status });
    if (filter.kind) query.push({ kind: filter.kind });
    return this.log.overlayPage(
      await findPageById(this.agreements, [agreementReadScope(principal), ...query], page),
    );
  }

  async create(principal: Principal, input: CreateAgreementInput): Promise<ProviderAgreementPayload> {
    const kind = input.kind ?? 'SSM_AGREEMENT';
    const early =
      validateReason(input.reason) ??
      validateAgreementListSizes(input.programIds, input.siteIds) ??
      refuseAgreementChange(principal, input.catchmentId, 'create agreements') ??
      (principal.role !== 'MINISTRY' && kind !== 'SSM_AGREEMENT'
        ? mutationError(
            'FORBIDDEN',
            'Only the ministry issues ministry transfer-payment contracts',
            'input.kind',
          )
        : null) ??
      validateTerm(input.termStartDate, input.termEndDate) ??
      validateFunding(input.funding) ??
      validateTargets(input.targets, { startDate: input.termStartDate, endDate: input.termEndDate });
    if (early) return failed(early);
    const periods = await this.periods.periodsOf(input.catchmentId);
    if ('code' in periods) return failed(periods);
    const gate =
      refuseNetworkChange(principal, input.catchmentId, periods, input.asOf, todayInOntario()) ??
      (kind === 'SSM_AGREEMENT' && !periods.ssmId
        ? mutationError(
            'RULE_VIOLATION',
            `Catchment ${input.catchmentId} has no service system manager yet (TBA): only a ministry transfer-payment contract can be created there`,
            'input.kind',
          )
        : null);
    if (gate) return failed(gate);
    const [provider] = await this.providers.findByIds([input.providerId]);
    if (!provider)
      return failed(
        mutationError('NOT_FOUND', `No service provider ${input.providerId}`, 'input.providerId'),
      );
    const refusal =
      validateAgreementSites(provider.sites, input.siteIds, input.catchmentId) ??
      validateAgreementPrograms(
        kind,
        input.programIds,
        await this.programs.findByIds(input.programIds),
        periods,
        input.termStartDate,
      );
    if (refusal) return failed(refusal);
    const key = {
      providerId: input.providerId,
      catchmentId: input.catchmentId,
      kind,
      termStartDate: input.termStartDate,
    };
    const duplicate = mutationError(
      'CONFLICT',
      `Provider ${input.providerId} already has a ${kind} in ${input.catchmentId} starting ${input.termStartDate}`,
    );
    // Agreements created before ids followed the natural key (the seed's) are found by the key itself.
    if (await this.agreements.exists(key)) return failed(duplicate);
    const created = await this.log.create(
      principal,
      {
        _id: agreementIdFor(key),
        ...key,
        ssmId: kind === 'SSM_AGREEMENT' ? periods.ssmId : null,
        programIds: [...new Set(input.programIds)],
        siteIds: input.siteIds,
        termEndDate: input.termEndDate,
        funding: input.funding,
        targets: sortTargets(input.targets),
        status: 'DRAFT',
        createdAt: new Date(),
        createdBy: principal.subject,
        creationReason: input.reason.trim(),
      },
      {
        kind: 'CREATE',
        reason: input.reason,
        asOf: input.asOf,
        events: [
          {
            type: 'AgreementCreated',
            catchmentId: input.catchmentId,
            data: { providerId: input.providerId, kind },
          },
        ],
      },
    );
    if (created.status === 'duplicate') return failed(duplicate);
    return { ok: true, agreement: created.state, error: null };
  }

  amendFunding(
    principal: Principal,
    input: ChangeInput & { funding: Funding },
  ): Promise<ProviderAgreementPayload> {
    return this.change(principal, input, 'amend provider funding', (doc) => {
      const refusal = refuseAmendingClosed(doc.status) ?? validateFunding(input.funding);
      if (refusal) return refusal;
      return {
        kind: 'FUNDING',
        before: { funding: doc.funding },
        after: { funding: input.funding },
        set: { funding: input.funding },
        events: [agreementEvent('AgreementAmended', doc, { kind: 'FUNDING' })],
      };
    });
  }

  amendTargets(
    principal: Principal,
    input: ChangeInput & { targets: PerformanceTarget[] },
  ): Promise<ProviderAgreementPayload> {
    return this.change(principal, input, 'amend provider targets', (doc) => {
      const refusal =
        refuseAmendingClosed(doc.status) ??
        validateTargets(input.targets, { startDate: doc.termStartDate, endDate: doc.termEndDate });
      if (refusal) return refusal;
      const targets = sortTargets(input.targets);
      return {
        kind: 'TARGETS',
        before: { targets: doc.targets },
        after: { targets },
        set: { targets },
        events: [agreementEvent('AgreementAmended', doc, { kind: 'TARGETS' })],
      };
    });
  }

  changeStatus(
    principal: Principal,
    input: ChangeInput & { status: AgreementStatus },
  ): Promise<ProviderAgreementPayload> {
    return this.change(principal, input, 'change agreement status', (doc) => {
      const refusal = validateStatusChange(
        doc.status,
        input.status,
        input.asOf,
        doc.termEndDate,
        todayInOntario(),
      );
      if (refusal) return refusal;
      return {
        kind: 'STATUS',
        before: { status: doc.status },
        after: { status: input.status },
        set: { status: input.status },
        events: [agreementEvent('AgreementStatusChanged', doc, { from: doc.status, to: input.status })],
      };
    });
  }

  /**
   * Checks the input, then, on the agreement's latest state (read once), the caller and the period
   * rule, and applies the change as the next record of its change log. Any refusal changes nothing.
   */
  private async change(
    principal: Principal,
    input: ChangeInput,
    action: string,
    plan: (doc: ProviderAgreementDoc) => AmendmentPlan<ProviderAgreementDoc> | MutationError,
  ): Promise<ProviderAgreementPayload> {
    const invalid =
      validateReason(input.reason) ??
      (isIsoDate(input.asOf) ? null : mutationError('VALIDATION_FAILED', 'asOf is not a date', 'input.asOf'));
    if (invalid) return failed(invalid);
    // Roles that never change agreements are refused before any read, so they learn nothing of
    // which agreements exist (their ids follow from public facts).
    if (principal.role !== 'MINISTRY' && principal.role !== 'SSM') {
      return failed(refuseAgreementChange(principal, '', action)!);
    }
    const amended = await amend(this.log, principal, input.agreementId, 'Agreement', input, async (doc) => {
      // Outside the caller's read scope is answered as an unknown id: the answer must not tell it exists.
      if (!canReadAgreement(principal, doc)) return mutationError('NOT_FOUND', 'unknown agreement');
      const refusal =
        refuseAgreementChange(principal, doc.catchmentId, action) ??
        (principal.role !== 'MINISTRY' && doc.kind !== 'SSM_AGREEMENT'
          ? mutationError('FORBIDDEN', 'Only the ministry changes a ministry transfer-payment contract')
          : null);
      if (refusal) return refusal;
      if (principal.role !== 'MINISTRY') {
        const periods = await this.periods.periodsOf(doc.catchmentId, 'input.agreementId');
        if ('code' in periods) return periods;
        const gate = refuseNetworkChange(principal, doc.catchmentId, periods, input.asOf, todayInOntario());
        if (gate) return gate;
      }
      return plan(doc);
    });
    if ('code' in amended) {
      return failed(
        amended.code === 'NOT_FOUND'
          ? mutationError('NOT_FOUND', `No provider agreement ${input.agreementId}`, 'input.agreementId')
          : amended,
      );
    }
    return { ok: true, agreement: amended, error: null };
  }
}

const agreementEvent = (type: string, doc: ProviderAgreementDoc, data: Record<string, unknown>) => ({
  type,
  catchmentId: doc.catchmentId,
  data: { providerId: doc.providerId, ...data },
});
