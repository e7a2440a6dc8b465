import { readEmbeddedLists } from '@ies/db';
import { randomUUID } from 'node:crypto';
import type { Principal } from '@ies/auth';
import type { CatchmentPeriod, IsoDate, PeriodDates } from '@ies/calendar';
import {
  findPageById,
  mutationError,
  type Connection,
  type MutationError,
  type PageArgs,
  refuseUnlessMinistry,
  validateReason,
} from '@ies/subgraph-kit';
import { changeRecord, type ChangeRecord } from '../common/change-record';
import type { ServiceSystemManagerModel } from '../service-system-manager/service-system-manager.model';
import type { CatchmentAreaDoc, CatchmentAreaModel, RolloutPhase } from './catchment-area.model';
import { periodFilter } from './catchment-period';
import { normalizeZone, validatePeriodDates, type ZoneInput } from './catchment-rules';

export interface CatchmentAreaFilter {
  phases?: RolloutPhase[] | null;
  period?: CatchmentPeriod | null;
  asOf: IsoDate;
  serviceSystemManagerId?: string | null;
  hasServiceSystemManager?: boolean | null;
}

export interface CatchmentAreaPayload {
  ok: boolean;
  catchmentArea: CatchmentAreaDoc | null;
  error: MutationError | null;
}

const failed = (error: MutationError): CatchmentAreaPayload => ({ ok: false, catchmentArea: null, error });

/** Reads and changes catchment areas; every change is versioned and recorded with who, when and why. */
export class CatchmentAreaService {
  constructor(
    private readonly catchments: CatchmentAreaModel,
    private readonly managers: ServiceSystemManagerModel,
  ) {}

  async findByIds(ids: readonly string[]): Promise<CatchmentAreaDoc[]> {
    return this.catchments.find({ _id: { $in: [...ids] } }, { changes: 0 }).lean<CatchmentAreaDoc[]>();
  }

  async findByManagerIds(managerIds: readonly string[]): Promise<CatchmentAreaDoc[]> {
    return this.catchments
      .find({ ssmId: { $in: [...managerIds] } }, { changes: 0 })
      .sort({ _id: 1 })
      .lean<CatchmentAreaDoc[]>();
  }

  changeHistories(ids: readonly string[]): Promise<Map<string, ChangeRecord[]>> {
    return readEmbeddedLists<ChangeRecord>(this.catchments, ids, 'changes');
  }

  async list(filter: CatchmentAreaFilter, page: PageArgs): Promise<Connection<CatchmentAreaDoc>> {
    const query: Record<string, unknown>[] = [];
    if (filter.phases?.length) query.push({ phase: { $in: filter.phases } });
    if (filter.period) query.push(periodFilter(filter.period, filter.asOf));
    if (filter.serviceSystemManagerId) query.push({ ssmId: filter.serviceSystemManagerId });
    if (filter.hasServiceSystemManager === true) query.push({ ssmId: { $type: 'string' } });
    if (filter.hasServiceSystemManager === false) query.push({ ssmId: null });
    return findPageById(this.catchments, query, page, { changes: 0 });
  }

  async assignServiceSystemManager(
    principal: Principal,
    input: { catchmentId: string; serviceSystemManagerId: string; reason: string },
  ): Promise<CatchmentAreaPayload> {
    const refusal =
      refuseUnlessMinistry(principal, 'assign a service system manager') ?? validateReason(input.reason);
    if (refusal) return failed(refusal);
    if (!(await this.managers.exists({ _id: input.serviceSystemManagerId }))) {
      return failed(
        mutationError(
          'NOT_FOUND',
          `No service system manager ${input.serviceSystemManagerId}`,
          'input.serviceSystemManagerId',
        ),
      );
    }
    return this.change(
      principal,
      input.catchmentId,
      'ASSIGN_SERVICE_SYSTEM_MANAGER',
      input.reason,
      (doc) => ({
        before: { ssmId: doc.ssmId ?? null },
        after: { ssmId: input.serviceSystemManagerId },
      }),
    );
  }

  async setPeriodDates(
    principal: Principal,
    input: { [K in keyof PeriodDates]?: PeriodDates[K] } & { catchmentId: string; reason: string },
  ) {
    const dates: PeriodDates = {
      planningStartDate: input.planningStartDate ?? null,
      transitionStartDate: input.transitionStartDate ?? null,
      iesDeliveryStartDate: input.iesDeliveryStartDate ?? null,
    };
    const refusal =
      refuseUnlessMinistry(principal, 'set catchment period dates') ??
      validateReason(input.reason) ??
      validatePeriodDates(dates);
    if (refusal) return failed(refusal);
    return this.change(principal, input.catchmentId, 'SET_PERIOD_DATES', input.reason, (doc) => ({
      before: {
        planningStartDate: doc.planningStartDate ?? null,
        transitionStartDate: doc.transitionStartDate ?? null,
        iesDeliveryStartDate: doc.iesDeliveryStartDate ?? null,
      },
      after: { ...dates },
    }));
  }

  async saveServiceDeliveryZone(
    principal: Principal,
    input: ZoneInput & { catchmentId: string; zoneId?: string | null; reason: string },
  ): Promise<CatchmentAreaPayload> {
    const refusal =
      refuseUnlessMinistry(principal, 'change service delivery zones') ?? validateReason(input.reason);
    if (refusal) return failed(refusal);
    const normalized = normalizeZone(input);
    if ('error' in normalized) return failed(normalized.error);
    return this.change(principal, input.catchmentId, 'SAVE_SERVICE_DELIVERY_ZONE', input.reason, (doc) => {
      const existing = input.zoneId ? doc.zones.find((z) => z.id === input.zoneId) : undefined;
      if (input.zoneId && !existing) {
        return mutationError('NOT_FOUND', `Catchment ${doc._id} has no zone ${input.zoneId}`, 'input.zoneId');
      }
      const duplicate = doc.zones.find(
        (z) => z.id !== input.zoneId && z.name.toLowerCase() === normalized.zone.name.toLowerCase(),
      );
      if (duplicate) {
        return mutationError(
          'CONFLICT',
          `Catchment ${doc._id} already has a zone named ${duplicate.name}`,
          'input.name',
        );
      }
      const zone = { id: existing?.id ?? randomUUID(), ...normalized.zone };
      const zones = existing ? doc.zones.map((z) => (z.id === zone.id ? zone : z)) : [...doc.zones, zone];
      return { before: { zone: existing ?? null }, after: { zone }, set: { zones } };
    });
  }

  /**
   * Applies one change as a single-document write that also appends its change record; the write
   * matches the version it read, so a concurrent change makes it a CONFLICT instead of a lost update.
   */
  private async change(
    principal: Principal,
    catchmentId: string,
    kind: string,
    reason: string,
    plan: (
      doc: CatchmentAreaDoc,
    ) =>
      | { before: Record<string, unknown>; after: Record<string, unknown>; set?: Record<string, unknown> }
      | MutationError,
  ): Promise<CatchmentAreaPayload> {
    const doc = await this.catchments.findById(catchmentId, { changes: 0 }).lean<CatchmentAreaDoc>();
    if (!doc)
      return failed(mutationError('NOT_FOUND', `No catchment area ${catchmentId}`, 'input.catchmentId'));
    const planned = plan(doc);
    if ('code' in planned) return failed(planned);
    const set = planned.set ?? planned.after;
    const result = await this.catchments.updateOne(
      { _id: catchmentId, version: doc.version },
      {
        $set: set,
        $inc: { version: 1 },
        $push: { changes: changeRecord(principal, kind, reason, planned.before, planned.after) },
      },
    );
    if (result.matchedCount === 0) {
      return failed(
        mutationError('CONFLICT', `Catchment area ${catchmentId} changed concurrently; re-read and retry`),
      );
    }
    const updated = await this.catchments.findById(catchmentId, { changes: 0 }).lean<CatchmentAreaDoc>();
    return { ok: true, catchmentArea: updated, error: null };
  }
}
