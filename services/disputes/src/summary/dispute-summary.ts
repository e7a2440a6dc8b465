import { businessDaysBetween, type IsoDate } from '@ies/calendar';
import type { DisputeKind, DisputeState } from '../dispute/dispute-lifecycle';
import { slaClocks } from '../dispute/dispute-sla';

/** Counts below this are withheld from callers who could not see the records behind them. */
export const SUPPRESSION_THRESHOLD = 10;

/** A count or measure, or null with the reason it is withheld (`DisputeCount`, `DisputeMeasure`). */
export interface Suppressible {
  value: number | null;
  suppressed: boolean;
  reason: string | null;
}

export interface CategoryCount {
  /** The category code. */
  category: string;
  count: Suppressible;
}

export interface DisputeSummary {
  catchmentIds: string[];
  openedFrom: IsoDate | null;
  openedTo: IsoDate | null;
  kind: DisputeKind | null;
  opened: Suppressible;
  acknowledged: Suppressible;
  resolved: Suppressible;
  escalated: Suppressible;
  withdrawn: Suppressible;
  byCategory: CategoryCount[];
  acknowledgedWithinSla: Suppressible;
  resolvedWithinSla: Suppressible;
  medianBusinessDaysToResolve: Suppressible;
  suppressionThreshold: number;
  computedAt: Date;
}

/** The fields of a dispute a summary reads (nothing that identifies a person). */
export type SummarizedDispute = Pick<DisputeState, 'history' | 'sla' | 'openedOn' | 'resolution'> & {
  category: string;
};

const SMALL = `Counts under ${SUPPRESSION_THRESHOLD} are withheld from callers who cannot see every dispute behind them`;
const COMPLEMENT = 'Withheld so that another withheld count cannot be worked out from the total';
const FEW_RESOLVED = `Withheld: fewer than ${SUPPRESSION_THRESHOLD} disputes resolved, and the caller cannot see every dispute behind them`;

const shown = (value: number): Suppressible => ({ value, suppressed: false, reason: null });
const withheld = (reason: string): Suppressible => ({ value: null, suppressed: true, reason });
const single = (value: number, suppress: boolean) =>
  suppress && value < SUPPRESSION_THRESHOLD ? withheld(SMALL) : shown(value);

/**
 * Suppresses small cells of a breakdown whose total is published: each count under the threshold and,
 * when exactly one is withheld, the next smallest too, so no withheld cell equals the total minus the
 * shown ones.
 */
export function suppressBreakdown(values: number[], suppress: boolean): Suppressible[] {
  if (!suppress) return values.map(shown);
  const small = values.map((v) => v < SUPPRESSION_THRESHOLD);
  if (small.filter(Boolean).length === 1) {
    const next = values
      .map((v, i) => ({ v, i }))
      .filter(({ i }) => !small[i])
      .sort((a, b) => a.v - b.v || a.i - b.i)[0];
    if (next) small[next.i] = true;
  }
  return values.map((v, i) =>
    small[i] ? withheld(v < SUPPRESSION_THRESHOLD ? SMALL : COMPLEMENT) : shown(v),
  );
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const reached = (dispute: SummarizedDispute, status: string) =>
  dispute.history.some((t) => t.status === status);

/**
 * The reporting figures of a set of disputes (issue 10, "Reporting input"), pure: the service passes
 * the raw disputes opened in the range. Status counts are "ever reached that status"; the SLA counts
 * judge each clock as dispute-sla.ts does (met on its due date, breached from the day after); the
 * median counts business days from opening to resolution. `categories` lists the codes to report
 * (every active one); a category with disputes is reported whether listed or not.
 */
export function summarizeDisputes(
  disputes: readonly SummarizedDispute[],
  categories: readonly string[],
  suppress: boolean,
): Omit<DisputeSummary, 'catchmentIds' | 'openedFrom' | 'openedTo' | 'kind' | 'computedAt'> {
  const byCategory = new Map<string, number>(categories.map((c) => [c, 0]));
  let acknowledgedWithinSla = 0;
  let resolvedWithinSla = 0;
  const daysToResolve: number[] = [];
  for (const dispute of disputes) {
    byCategory.set(dispute.category, (byCategory.get(dispute.category) ?? 0) + 1);
    const lastDay = dispute.history.at(-1)?.on ?? dispute.openedOn;
    const [acknowledge, resolve] = slaClocks(dispute, lastDay);
    if (acknowledge!.stoppedOn !== null && acknowledge!.stoppedBy !== 'WITHDRAWN' && !acknowledge!.breached)
      acknowledgedWithinSla++;
    if (resolve!.stoppedBy === 'RESOLVED' && !resolve!.breached) resolvedWithinSla++;
    if (dispute.resolution && reached(dispute, 'RESOLVED'))
      daysToResolve.push(businessDaysBetween(dispute.openedOn, dispute.resolution.on));
  }
  const count = (status: string) => single(disputes.filter((d) => reached(d, status)).length, suppress);
  const codes = [...byCategory.keys()].sort();
  const cells = suppressBreakdown(
    codes.map((c) => byCategory.get(c)!),
    suppress,
  );
  const middle = median(daysToResolve);
  return {
    opened: single(disputes.length, suppress),
    acknowledged: count('ACKNOWLEDGED'),
    resolved: count('RESOLVED'),
    escalated: count('ESCALATED'),
    withdrawn: count('WITHDRAWN'),
    byCategory: codes.map((category, i) => ({ category, count: cells[i]! })),
    acknowledgedWithinSla: single(acknowledgedWithinSla, suppress),
    resolvedWithinSla: single(resolvedWithinSla, suppress),
    medianBusinessDaysToResolve:
      suppress && daysToResolve.length < SUPPRESSION_THRESHOLD
        ? withheld(FEW_RESOLVED)
        : middle === null
          ? { value: null, suppressed: false, reason: 'No dispute opened in the range has been resolved' }
          : shown(middle),
    suppressionThreshold: SUPPRESSION_THRESHOLD,
  };
}
