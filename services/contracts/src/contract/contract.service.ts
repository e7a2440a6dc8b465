import type { Principal } from '@ies/auth';
import { isIsoDate, type IsoDate } from '@ies/calendar';
import {
  findPageById,
  mutationError,
  type Connection,
  type MutationError,
  type PageArgs,
  validateReason,
  refuseUnlessMinistry,
} from '@ies/subgraph-kit';
import { contractReadScope } from '../common/access';
import { amend, amendmentsOf, type Amendment, type AmendmentPlan } from '../common/amendment';
import {
  sortTargets,
  validateTargets,
  type Funding,
  type PerformanceTarget,
  validateFunding,
  validateTerm,
} from '../common/terms';
import type { ChangeLog } from '@ies/change-log';
import { findWhereIn } from '@ies/db';
import type { CatchmentPeriodService } from '@ies/catchment-read-model';
import type { ContractDoc, ContractModel } from './contract.model';

export interface ContractFilter {
  catchmentId?: string | null;
  serviceSystemManagerId?: string | null;
}

export interface ContractPayload {
  ok: boolean;
  contract: ContractDoc | null;
  error: MutationError | null;
}

interface ChangeInput {
  contractId: string;
  reason: string;
  asOf: IsoDate;
  expectedVersion?: number | null;
}

const failed = (error: MutationError): ContractPayload => ({ ok: false, contract: null, error });

/** Reads and amends ministry → SSM contracts. Only the ministry amends them, in any period. */
export interface CreateContractInput {
  catchmentId: string;
  termStartDate: IsoDate;
  termEndDate: IsoDate;
  funding: Funding;
  targets: PerformanceTarget[];
  reason: string;
}

export class ContractService {
  constructor(
    private readonly contracts: ContractModel,
    private readonly log: ChangeLog<ContractDoc>,
    private readonly periods: CatchmentPeriodService,
  ) {}

  /** One contract per catchment, with the SSM the catchments service has assigned to it. */
  async create(principal: Principal, input: CreateContractInput): Promise<ContractPayload> {
    const early =
      refuseUnlessMinistry(principal, 'create a ministry → SSM contract') ??
      validateReason(input.reason) ??
      validateTerm(input.termStartDate, input.termEndDate) ??
      validateFunding(input.funding) ??
      validateTargets(input.targets, { startDate: input.termStartDate, endDate: input.termEndDate });
    if (early) return failed(early);
    const periods = await this.periods.refreshedPeriodsOf(input.catchmentId);
    if ('code' in periods) return failed(periods);
    if (!periods.ssmId) {
      return failed(
        mutationError(
          'RULE_VIOLATION',
          `Catchment ${input.catchmentId} has no service system manager yet (TBA); assign one first`,
          'input.catchmentId',
        ),
      );
    }
    const created = await this.log.create(
      principal,
      {
        _id: `contract-${input.catchmentId}`,
        catchmentId: input.catchmentId,
        ssmId: periods.ssmId,
        termStartDate: input.termStartDate,
        termEndDate: input.termEndDate,
        funding: input.funding,
        targets: sortTargets(input.targets),
        createdAt: new Date(),
        createdBy: principal.subject,
        creationReason: input.reason.trim(),
      },
      {
        kind: 'CREATE',
        reason: input.reason,
        events: [
          {
            type: 'ContractCreated',
            catchmentId: input.catchmentId,
            data: { serviceSystemManagerId: periods.ssmId },
          },
        ],
      },
    );
    if (created.status === 'duplicate') {
      return failed(
        mutationError(
          'CONFLICT',
          `Catchment ${input.catchmentId} already has a contract`,
          'input.catchmentId',
        ),
      );
    }
    return { ok: true, contract: created.state, error: null };
  }

  async findByField(
    principal: Principal,
    field: '_id' | 'catchmentId',
    values: readonly string[],
  ): Promise<ContractDoc[]> {
    const found = await findWhereIn<ContractDoc>(this.contracts, field, values, {
      where: contractReadScope(principal),
      sortBy: '_id',
    });
    return this.log.overlay(found);
  }

  amendmentsOf(ids: readonly string[]): Promise<Map<string, Amendment[]>> {
    return amendmentsOf(this.log, ids);
  }

  async list(principal: Principal, filter: ContractFilter, page: PageArgs): Promise<Connection<ContractDoc>> {
    const query: Record<string, unknown>[] = [];
    if (filter.catchmentId) query.push({ catchmentId: filter.catchmentId });
    if (filter.serviceSystemManagerId) {
      const managed = await this.periods.catchmentsManagedBy([filter.serviceSystemManagerId]);
      query.push({ catchmentId: { $in: managed.get(filter.serviceSystemManagerId) ?? [] } });
    }
    return this.log.overlayPage(
      await findPageById(this.contracts, [contractReadScope(principal), ...query], page),
    );
  }

  amendFunding(principal: Principal, input: ChangeInput & { funding: Funding }): Promise<ContractPayload> {
    return this.change(
      principal,
      input,
      (doc) =>
        validateFunding(input.funding) ?? {
          kind: 'FUNDING',
          before: { funding: doc.funding },
          after: { funding: input.funding },
          set: { funding: input.funding },
          events: [amended(doc, 'FUNDING')],
        },
    );
  }

  amendTargets(
    principal: Principal,
    input: ChangeInput & { targets: PerformanceTarget[] },
  ): Promise<ContractPayload> {
    return this.change(principal, input, (doc) => {
      const invalid = validateTargets(input.targets, {
        startDate: doc.termStartDate,
        endDate: doc.termEndDate,
      });
      if (invalid) return invalid;
      const targets = sortTargets(input.targets);
      return {
        kind: 'TARGETS',
        before: { targets: doc.targets },
        after: { targets },
        set: { targets },
        events: [amended(doc, 'TARGETS')],
      };
    });
  }

  private async change(
    principal: Principal,
    input: ChangeInput,
    plan: (doc: ContractDoc) => AmendmentPlan<ContractDoc> | MutationError,
  ): Promise<ContractPayload> {
    const refusal =
      refuseUnlessMinistry(principal, 'amend a ministry → SSM contract') ??
      validateReason(input.reason) ??
      (isIsoDate(input.asOf) ? null : mutationError('VALIDATION_FAILED', 'asOf is not a date', 'input.asOf'));
    if (refusal) return failed(refusal);
    const amended = await amend(this.log, principal, input.contractId, 'Contract', input, plan);
    if ('code' in amended) {
      return failed(amended.code === 'NOT_FOUND' ? { ...amended, field: 'input.contractId' } : amended);
    }
    return { ok: true, contract: amended, error: null };
  }
}

const amended = (doc: ContractDoc, kind: 'FUNDING' | 'TARGETS') => ({
  type: 'ContractAmended',
  catchmentId: doc.catchmentId,
  data: { kind },
});
