import type { Principal } from '@ies/auth';
import type { CatchmentCopyModel } from '@ies/catchment-read-model';
import type { ChangeLog } from '@ies/change-log';
import { findWhereIn } from '@ies/db';
import { badUserInput } from '@ies/subgraph-kit';
import type { DisputeCategoryService } from '../category/dispute-category.service';
import { canSeeAllRecordsOf } from '../common/access';
import { assertIdentifiers } from '../common/identifiers';
import type { DisputeKind } from '../dispute/dispute-lifecycle';
import type { DisputeDoc, DisputeModel } from '../dispute/dispute.model';
import { summarizeDisputes, type DisputeSummary } from './dispute-summary';

export interface SummaryFilter {
  catchmentIds?: string[] | null;
  openedFrom?: string | null;
  openedTo?: string | null;
  kind?: DisputeKind | null;
}

/** The most catchments one summary names (there are 15). */
const MAX_CATCHMENTS = 50;

const SUMMARIZED = {
  catchmentId: 1,
  category: 1,
  history: 1,
  sla: 1,
  openedOn: 1,
  resolution: 1,
  version: 1,
} as const;

/**
 * Dispute figures computed from the dispute records on each call (issue 10; the quarterly reporting
 * job snapshots them). Every read is an indexed equality on one catchment (ADR 0008), the date range
 * and kind checked on that catchment's disputes.
 */
export class DisputeSummaryService {
  constructor(
    private readonly deps: {
      disputes: DisputeModel;
      log: ChangeLog<DisputeDoc>;
      categories: DisputeCategoryService;
      copies: CatchmentCopyModel;
    },
  ) {}

  async summarize(principal: Principal, filter: SummaryFilter): Promise<DisputeSummary> {
    assertIdentifiers({ 'filter.catchmentIds': filter.catchmentIds });
    const requested = filter.catchmentIds ? [...new Set(filter.catchmentIds)] : null;
    if (requested && requested.length > MAX_CATCHMENTS)
      throw badUserInput(`At most ${MAX_CATCHMENTS} catchments`, 'filter.catchmentIds');
    const catchmentIds = requested ?? (await this.knownCatchments());
    // Asking for every catchment, only the ministry (or an SSM of all of them) sees every record.
    const [summary] = await this.summarizeEach(
      principal,
      [catchmentIds],
      filter,
      !canSeeAllRecordsOf(principal, catchmentIds),
    );
    return summary!;
  }

  /**
   * One summary per group of catchments, from one batched read of all their disputes (the per-catchment
   * summaries of N `CatchmentArea`s cost one lookup batch). `suppress` applies to every group when
   * given, else each group is judged on its own catchments.
   */
  async summarizeEach(
    principal: Principal,
    groups: readonly string[][],
    filter: Omit<SummaryFilter, 'catchmentIds'>,
    suppress?: boolean,
  ): Promise<DisputeSummary[]> {
    const from = filter.openedFrom ?? null;
    const to = filter.openedTo ?? null;
    if (from && to && from > to) throw badUserInput('openedFrom is after openedTo', 'filter.openedFrom');
    const range: Record<string, string> = {};
    if (from) range.$gte = from;
    if (to) range.$lte = to;
    const where: Record<string, unknown> = {};
    if (from || to) where.openedOn = range;
    if (filter.kind) where.kind = filter.kind;
    const all = [...new Set(groups.flat())];
    const [disputes, categories] = await Promise.all([
      findWhereIn<DisputeDoc>(this.deps.disputes, 'catchmentId', all, { where, projection: SUMMARIZED }).then(
        (docs) => this.deps.log.overlay(docs),
      ),
      this.deps.categories.all(),
    ]);
    const computedAt = new Date();
    const active = categories.filter((c) => c.active).map((c) => c._id);
    return groups.map((catchmentIds) => {
      const members = new Set(catchmentIds);
      return {
        catchmentIds: [...catchmentIds],
        openedFrom: from,
        openedTo: to,
        kind: filter.kind ?? null,
        ...summarizeDisputes(
          disputes.filter((d) => members.has(d.catchmentId)),
          active,
          suppress ?? !canSeeAllRecordsOf(principal, catchmentIds),
        ),
        computedAt,
      };
    });
  }

  /** Every catchment this service knows of (its copy of the catchments). */
  private async knownCatchments(): Promise<string[]> {
    const ids = (await this.deps.copies.distinct('catchmentId')) as string[];
    return ids.sort();
  }
}
