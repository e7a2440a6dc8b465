import { REFERRAL_SOURCES, STREAMS } from './action-plan-line';

/**
 * The published prototype figures the synthetic data reproduces exactly (DOMAIN.md §3): in the three
 * prototype catchments, from 1 January 2021 to 3 January 2023, more than 63,200 clients started an
 * employment action plan, over 23,400 (37%) referred by their Ontario Works or ODSP caseworker; the
 * Common Assessment split was C 47%, B 31%, A 22%.
 *
 * The generator draws no category at random: this table gives, per catchment, how many plans in the
 * window have each referral source and stream, and the generator deals exactly those plans out in a
 * seeded order. At scale 1: 63,250 plans (27,000 / 12,250 / 24,000); Ontario Works 14,030 + ODSP 9,420
 * = 23,450 (37.08%); SELF 31,840, OTHER 7,960; streams C 29,728 (47.0%), B 19,607 (31.0%), A 13,915
 * (22.0%). Social-assistance clients lean to stream C (Ontario Works 62%, ODSP 60%) and the others
 * make up the rest of each stream. Every plan in the window has an assessment: the prototypes were in
 * IES delivery from 1 January 2021.
 *
 * Other scales: every cell (catchment × referral source × stream) is `Math.round(cell × scale)`
 * (halves round up); every total is the sum of its cells. `calibrationAt(scale)` computes that.
 */
export const PROTOTYPE_WINDOW = { from: '2021-01-01', to: '2023-01-03' } as const;

export const PROTOTYPE_CATCHMENT_IDS = ['hamilton-niagara-peninsula', 'muskoka-kawarthas', 'peel'] as const;
export type PrototypeCatchmentId = (typeof PROTOTYPE_CATCHMENT_IDS)[number];

export type ReferralSource = (typeof REFERRAL_SOURCES)[number];
export type Stream = (typeof STREAMS)[number];
/** Plans per referral source and stream, C first (the order of the published split). */
export type CellCounts = Record<ReferralSource, Record<Stream, number>>;

const cells = (ow: number[], odsp: number[], self: number[], other: number[]): CellCounts => {
  const row = ([C, B, A]: number[]) => ({ C: C!, B: B!, A: A! });
  return { ONTARIO_WORKS: row(ow), ODSP: row(odsp), SELF: row(self), OTHER: row(other) };
};

/** The window's plans at scale 1, per catchment: [C, B, A] for each referral source. */
const CELLS_AT_SCALE_1: Record<PrototypeCatchmentId, CellCounts> = {
  'hamilton-niagara-peninsula': cells(
    [3713, 1557, 719],
    [2413, 1126, 482],
    [5252, 4549, 3791],
    [1313, 1137, 948],
  ),
  'muskoka-kawarthas': cells([1685, 706, 326], [1095, 511, 219], [2383, 2064, 1720], [595, 516, 430]),
  peel: cells([3301, 1385, 638], [2144, 1001, 429], [4667, 4044, 3370], [1167, 1011, 843]),
};

export interface CalibrationCounts {
  scale: number;
  window: typeof PROTOTYPE_WINDOW;
  cells: Record<PrototypeCatchmentId, CellCounts>;
  byCatchment: Record<PrototypeCatchmentId, number>;
  byReferralSource: Record<ReferralSource, number>;
  byStream: Record<Stream, number>;
  /** Ontario Works + ODSP. */
  referredBySocialAssistance: number;
  total: number;
}

const zeroByReferral = (): Record<ReferralSource, number> => ({
  ONTARIO_WORKS: 0,
  ODSP: 0,
  SELF: 0,
  OTHER: 0,
});
const zeroByStream = (): Record<Stream, number> => ({ A: 0, B: 0, C: 0 });

/** The sum of a catchment's cells. */
export const cellTotal = (counts: CellCounts): number =>
  REFERRAL_SOURCES.reduce((sum, r) => sum + STREAMS.reduce((s, k) => s + counts[r][k], 0), 0);

/** The exact counts the generator produces in the prototype window at `scale`. */
export function calibrationAt(scale: number): CalibrationCounts {
  const scaled = {} as Record<PrototypeCatchmentId, CellCounts>;
  const byCatchment = {} as Record<PrototypeCatchmentId, number>;
  const byReferralSource = zeroByReferral();
  const byStream = zeroByStream();
  for (const catchmentId of PROTOTYPE_CATCHMENT_IDS) {
    const source = CELLS_AT_SCALE_1[catchmentId];
    const target = cells([0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]);
    for (const r of REFERRAL_SOURCES)
      for (const k of STREAMS) {
        const n = Math.round(source[r][k] * scale);
        target[r][k] = n;
        byReferralSource[r] += n;
        byStream[k] += n;
      }
    scaled[catchmentId] = target;
    byCatchment[catchmentId] = cellTotal(target);
  }
  const total = Object.values(byCatchment).reduce((a, b) => a + b, 0);
  return {
    scale,
    window: PROTOTYPE_WINDOW,
    cells: scaled,
    byCatchment,
    byReferralSource,
    byStream,
    referredBySocialAssistance: byReferralSource.ONTARIO_WORKS + byReferralSource.ODSP,
    total,
  };
}

/** The published figures as the generator meets them at scale 1. */
export const PROTOTYPE_CALIBRATION: CalibrationCounts = calibrationAt(1);
