import { randomUUID } from 'node:crypto';
import type { Principal } from '@ies/auth';
import { isIsoDate, todayInOntario, type IsoDate } from '@ies/calendar';
import { insertNew, readEmbeddedLists } from '@ies/db';
import {
  findPageById,
  mutationError,
  type Connection,
  type MutationError,
  type PageArgs,
  allOf,
  validateReason,
} from '@ies/subgraph-kit';
import { agreementReadScope, refuseAgreementChange } from '../common/access';
import { amendAsRead, type Amendment, type AmendmentPlan } from '../common/amendment';
import {
  sortTargets,
  validateTargets,
  validateFunding,
  validateTerm,
  type Funding,
  type PerformanceTarget,
} from '../common/terms';
import type { CatchmentPeriodService } from '../catchment-period/catchment-period.service';
import { refuseNetworkChange } from '../catchment-period/network-change-gate';
import type { ProgramService } from '../program/program.service';
import type { ServiceProviderService } from '../service-provider/service-provider.service';
import {
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
const WITHOUT_HISTORY = { amendments: 0 } as const;

/** Reads and changes SSM → provider agreements; every change to funding, targets or status is an amendment. */
export class ProviderAgreementService {
  constructor(
    private readonly agreements: ProviderAgreementModel,
    private readonly providers: ServiceProviderService,
    private readonly programs: ProgramService,
    private readonly periods: CatchmentPeriodService,
  ) {}

  async findByIds(principal: Principal, ids: readonly string[]): Promise<ProviderAgreementDoc[]> {
    return this.agreements
      .find(allOf([agreementReadScope(principal), { _id: { $in: [...ids] } }]), WITHOUT_HISTORY)
      .lean<ProviderAgreementDoc[]>();
  }

  async findByField(
    principal: Principal,
    field: 'catchmentId' | 'providerId',
    values: readonly string[],
  ): Promise<ProviderAgreementDoc[]> {
    return this.agreements
      .find(allOf([agreementReadScope(principal), { [field]: { $in: [...values] } }]), WITHOUT_HISTORY)
      .sort({ _id: 1 })
      .lean<ProviderAgreementDoc[]>();
  }

  amendmentsOf(ids: readonly string[]): Promise<Map<string, Amendment[]>> {
    return readEmbeddedLists<Amendment>(this.agreements, ids, 'amendments');
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
    return findPageById(this.agreements, [agreementReadScope(principal), ...query], page, WITHOUT_HISTORY);
  }

  async create(principal: Principal, input: CreateAgreementInput): Promise<ProviderAgreementPayload> {
    const kind = input.kind ?? 'SSM_AGREEMENT';
    const early =
      validateReason(input.reason) ??
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
    const doc: ProviderAgreementDoc = {
      _id: `agr-${randomUUID()}`,
      kind,
      catchmentId: input.catchmentId,
      ssmId: kind === 'SSM_AGREEMENT' ? periods.ssmId : null,
      providerId: input.providerId,
      programIds: [...new Set(input.programIds)],
      siteIds: input.siteIds,
      termStartDate: input.termStartDate,
      termEndDate: input.termEndDate,
      funding: input.funding,
      targets: sortTargets(input.targets),
      status: 'DRAFT',
      createdAt: new Date(),
      createdBy: principal.subject,
      creationReason: input.reason.trim(),
      version: 1,
      amendmentCount: 0,
      amendments: [],
    };
    if ((await insertNew(this.agreements, doc)) === 'duplicate') {
      return failed(
        mutationError(
          'CONFLICT',
          `Provider ${input.providerId} already has a ${kind} in ${input.catchmentId} starting ${input.termStartDate}`,
        ),
      );
    }
    return { ok: true, agreement: await this.reload(doc._id), error: null };
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
      return { kind: 'TARGETS', before: { targets: doc.targets }, after: { targets }, set: { targets } };
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
      };
    });
  }

  private reload(id: string) {
    return this.agreements.findById(id, WITHOUT_HISTORY).lean<ProviderAgreementDoc>();
  }

  /**
   * Checks the caller, the input and the period rule, then applies the change and its amendment in
   * one versioned single-document write. Any refusal leaves the document untouched.
   */
  private async change(
    principal: Principal,
    input: ChangeInput,
    action: string,
    plan: (doc: ProviderAgreementDoc) => Omit<AmendmentPlan, 'asOf' | 'reason'> | MutationError,
  ): Promise<ProviderAgreementPayload> {
    const invalid =
      validateReason(input.reason) ??
      (isIsoDate(input.asOf) ? null : mutationError('VALIDATION_FAILED', 'asOf is not a date', 'input.asOf'));
    if (invalid) return failed(invalid);
    const doc = await this.reload(input.agreementId);
    if (!doc)
      return failed(
        mutationError('NOT_FOUND', `No provider agreement ${input.agreementId}`, 'input.agreementId'),
      );
    const refusal =
      refuseAgreementChange(principal, doc.catchmentId, action) ??
      (principal.role !== 'MINISTRY' && doc.kind !== 'SSM_AGREEMENT'
        ? mutationError('FORBIDDEN', 'Only the ministry changes a ministry transfer-payment contract')
        : null);
    if (refusal) return failed(refusal);
    if (principal.role !== 'MINISTRY') {
      const periods = await this.periods.periodsOf(doc.catchmentId, 'input.agreementId');
      if ('code' in periods) return failed(periods);
      const gate = refuseNetworkChange(principal, doc.catchmentId, periods, input.asOf, todayInOntario());
      if (gate) return failed(gate);
    }
    const amended = await amendAsRead(this.agreements, principal, doc, 'Agreement', input, plan);
    if (amended) return failed(amended);
    return { ok: true, agreement: await this.reload(doc._id), error: null };
  }
}
