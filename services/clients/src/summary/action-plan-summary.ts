import type { ReferralSource, Stream } from '../action-plan/action-plan.model';
import { REFERRAL_SOURCES, STREAMS } from '../action-plan/action-plan.model';
import { EQUITY_FIELDS, type EquityAnswers } from '../client/client.model';

/** Counts below this are suppressed for callers who could not see the records behind them. */
export const SUPPRESSION_THRESHOLD = 10;

/** A count, or null with the reason it is withheld. */
export interface SuppressibleCount {
  value: number | null;
  suppressed: boolean;
  reason: string | null;
}

export const EQUITY_GROUPS = [
  'INDIGENOUS',
  'FRANCOPHONE',
  'DISABILITY',
  'NEWCOMER',
  'RACIALIZED',
  'YOUTH',
] as const;
export type EquityGroup = (typeof EQUITY_GROUPS)[number];

export interface ActionPlanSummary {
  started: SuppressibleCount;
  referredBySocialAssistance: SuppressibleCount;
  byReferralSource: { source: ReferralSource; count: SuppressibleCount }[];
  byStream: { stream: Stream | 'UNASSESSED'; count: SuppressibleCount }[];
  byEquityGroup: { group: EquityGroup; count: SuppressibleCount }[];
  suppressionThreshold: number;
}

/** The fields of a plan an aggregate reads (nothing that identifies a person). */
export interface SummarizedPlan {
  referralSource: ReferralSource;
  assessment: { stream: Stream } | null;
  equityAtStart: EquityAnswers & { youth: boolean };
}

const SMALL = `Counts under ${SUPPRESSION_THRESHOLD} are withheld from callers who cannot see the records behind them`;
const COMPLEMENT = 'Withheld so that another withheld count cannot be worked out from the total';

const shown = (value: number): SuppressibleCount => ({ value, suppressed: false, reason: null });
const withheld = (reason: string): SuppressibleCount => ({ value: null, suppressed: true, reason });

/**
 * Suppresses small cells of one breakdown whose total is published: each count under the threshold,
 * and, when exactly one cell is withheld, the next smallest too, so no withheld cell equals the total
 * minus the shown ones.
 */
export function suppressBreakdown(values: number[], suppress: boolean): SuppressibleCount[] {
  if (!suppress) return values.map(shown);
  const small = values.map((v) => v < SUPPRESSION_THRESHOLD);
  if (small.filter(Boolean).length === 1) {
    const candidates = values.map((v, i) => ({ v, i })).filter(({ i }) => !small[i]);
    const next = candidates.sort((a, b) => a.v - b.v || a.i - b.i)[0];
    if (next) small[next.i] = true;
  }
  return values.map((v, i) =>
    small[i] ? withheld(v < SUPPRESSION_THRESHOLD ? SMALL : COMPLEMENT) : shown(v),
  );
}

const single = (value: number, suppress: boolean) =>
  suppress && value < SUPPRESSION_THRESHOLD ? withheld(SMALL) : shown(value);

/**
 * Plans started, by referral source, by Common Assessment stream (`UNASSESSED` for plans without one)
 * and by equity group (self-identified YES at plan start; youth from the birth date on the start
 * date). Pure: the service passes the raw plans of the range.
 */
export function summarizePlans(plans: Iterable<SummarizedPlan>, suppress: boolean): ActionPlanSummary {
  let started = 0;
  const bySource = new Map<ReferralSource, number>(REFERRAL_SOURCES.map((s) => [s, 0]));
  const byStream = new Map<Stream | 'UNASSESSED', number>(
    [...STREAMS, 'UNASSESSED' as const].map((s) => [s, 0]),
  );
  const byGroup = new Map<EquityGroup, number>(EQUITY_GROUPS.map((g) => [g, 0]));
  for (const plan of plans) {
    started++;
    bySource.set(plan.referralSource, (bySource.get(plan.referralSource) ?? 0) + 1);
    const stream = plan.assessment?.stream ?? 'UNASSESSED';
    byStream.set(stream, (byStream.get(stream) ?? 0) + 1);
    for (const field of EQUITY_FIELDS) {
      if (plan.equityAtStart?.[field] === 'YES') {
        const group = field.toUpperCase() as EquityGroup;
        byGroup.set(group, byGroup.get(group)! + 1);
      }
    }
    if (plan.equityAtStart?.youth) byGroup.set('YOUTH', byGroup.get('YOUTH')! + 1);
  }
  const sources = [...bySource];
  const streams = [...byStream];
  const sourceCounts = suppressBreakdown(
    sources.map(([, n]) => n),
    suppress,
  );
  const streamCounts = suppressBreakdown(
    streams.map(([, n]) => n),
    suppress,
  );
  return {
    started: single(started, suppress),
    // Withheld with either of its parts, or the part would be this total minus the other.
    referredBySocialAssistance:
      sourceCounts[sources.findIndex(([source]) => source === 'ONTARIO_WORKS')]!.suppressed ||
      sourceCounts[sources.findIndex(([source]) => source === 'ODSP')]!.suppressed
        ? withheld(COMPLEMENT)
        : single((bySource.get('ONTARIO_WORKS') ?? 0) + (bySource.get('ODSP') ?? 0), suppress),
    byReferralSource: sources.map(([source], i) => ({ source, count: sourceCounts[i]! })),
    byStream: streams.map(([stream], i) => ({ stream, count: streamCounts[i]! })),
    // Groups overlap (a person may be in several), so each is its own count, not a breakdown.
    byEquityGroup: [...byGroup].map(([group, n]) => ({ group, count: single(n, suppress) })),
    suppressionThreshold: SUPPRESSION_THRESHOLD,
  };
}
