import { randomUUID } from 'node:crypto';
import { findWhereIn } from '@ies/db';
import type { ChangeLog, PlannedChange } from '@ies/change-log';
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
import { changeView, type ChangeView } from '../common/change-history';
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

/** What every catchment change carries: why, and optionally the version the caller read. */
interface ChangeRequest {
  reason: string;
  expectedVersion?: number | null;
}

type CatchmentPlan = Omit<PlannedChange<CatchmentAreaDoc>, 'kind'>;

/**
 * Reads and changes catchment areas. Every change is a record in the service's change log (who, when,
 * why, before/after, its domain events); the `catchment_areas` documents are its projection.
 */
export class CatchmentAreaService {
  constructor(
    private readonly catchments: CatchmentAreaModel,
    private readonly log: ChangeLog<CatchmentAreaDoc>,
    private readonly managers: ServiceSystemManagerModel,
  ) {}

  findByIds(ids: readonly string[]): Promise<CatchmentAreaDoc[]> {
    return this.log.findByIds(ids);
  }

  async findByManagerIds(managerIds: readonly string[]): Promise<CatchmentAreaDoc[]> {
    const found = await findWhereIn<CatchmentAreaDoc>(this.catchments, 'ssmId', managerIds, {
      sortBy: '_id',
    });
    return this.log.overlay(found);
  }

  async changeHistories(ids: readonly string[]): Promise<Map<string, ChangeView[]>> {
    const histories = await this.log.histories(ids);
    return new Map([...histories].map(([id, records]) => [id, records.map(changeView)]));
  }

  async list(filter: CatchmentAreaFilter, page: PageArgs): Promise<Connection<CatchmentAreaDoc>> {
    const query: Record<string, unknown>[] = [];
    if (filter.phases?.length) query.push({ phase: { $in: filter.phases } });
    if (filter.period) query.push(periodFilter(filter.period, filter.asOf));
    if (filter.serviceSystemManagerId) query.push({ ssmId: filter.serviceSystemManagerId });
    if (filter.hasServiceSystemManager === true) query.push({ ssmId: { $type: 'string' } });
    if (filter.hasServiceSystemManager === false) query.push({ ssmId: null });
    return this.log.overlayPage(await findPageById(this.catchments, query, page));
  }

  async assignServiceSystemManager(
    principal: Principal,
    input: { catchmentId: string; serviceSystemManagerId: string } & ChangeRequest,
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
    return this.change(principal, input.catchmentId, 'ASSIGN_SERVICE_SYSTEM_MANAGER', input, (doc) => ({
      before: { ssmId: doc.ssmId ?? null },
      after: { ssmId: input.serviceSystemManagerId },
      set: { ssmId: input.serviceSystemManagerId },
      events: [
        {
          type: 'CatchmentServiceSystemManagerAssigned',
          catchmentId: doc._id,
          data: { previous: doc.ssmId ?? null, serviceSystemManagerId: input.serviceSystemManagerId },
        },
      ],
    }));
  }

  async setPeriodDates(
    principal: Principal,
    input: { [K in keyof PeriodDates]?: PeriodDates[K] } & { catchmentId: string } & ChangeRequest,
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
    return this.change(principal, input.catchmentId, 'SET_PERIOD_DATES', input, (doc) => {
      const before = {
        planningStartDate: doc.planningStartDate ?? null,
        transitionStartDate: doc.transitionStartDate ?? null,
        iesDeliveryStartDate: doc.iesDeliveryStartDate ?? null,
      };
      return {
        before,
        after: { ...dates },
        set: { ...dates },
        events: [{ type: 'CatchmentPeriodsChanged', catchmentId: doc._id, data: { before, after: dates } }],
      };
    });
  }

  async saveServiceDeliveryZone(
    principal: Principal,
    input: ZoneInput & { catchmentId: string; zoneId?: string | null } & ChangeRequest,
  ): Promise<CatchmentAreaPayload> {
    const refusal =
      refuseUnlessMinistry(principal, 'change service delivery zones') ?? validateReason(input.reason);
    if (refusal) return failed(refusal);
    const normalized = normalizeZone(input);
    if ('error' in normalized) return failed(normalized.error);
    return this.change(principal, input.catchmentId, 'SAVE_SERVICE_DELIVERY_ZONE', input, (doc) => {
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
      return {
        before: { zone: existing ?? null },
        after: { zone },
        set: { zones },
        events: [{ type: 'CatchmentServiceDeliveryZoneSaved', catchmentId: doc._id, data: { zone } }],
      };
    });
  }

  /**
   * Applies one change through the change log: the plan sees the catchment's latest state; of
   * simultaneous changes exactly one wins each version, the others get a CONFLICT and nothing changes.
   */
  private async change(
    principal: Principal,
    catchmentId: string,
    kind: string,
    request: ChangeRequest,
    plan: (doc: CatchmentAreaDoc) => CatchmentPlan | MutationError,
  ): Promise<CatchmentAreaPayload> {
    const outcome = await this.log.change<MutationError>(principal, catchmentId, request, (doc) => {
      const planned = plan(doc);
      return 'code' in planned ? { refused: planned } : { kind, ...planned };
    });
    switch (outcome.status) {
      case 'applied':
        return { ok: true, catchmentArea: outcome.state, error: null };
      case 'refused':
        return failed(outcome.refusal);
      case 'not-found':
        return failed(mutationError('NOT_FOUND', `No catchment area ${catchmentId}`, 'input.catchmentId'));
      case 'conflict':
        return failed(
          typeof request.expectedVersion === 'number' && request.expectedVersion !== outcome.version
            ? mutationError(
                'CONFLICT',
                `Catchment area ${catchmentId} is at version ${outcome.version}, not ${request.expectedVersion}; re-read and retry`,
                'input.expectedVersion',
              )
            : mutationError(
                'CONFLICT',
                `Catchment area ${catchmentId} changed concurrently (now at version ${outcome.version}); re-read and retry`,
              ),
        );
    }
  }
}
