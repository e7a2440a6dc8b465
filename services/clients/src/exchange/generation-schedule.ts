import { addDays, addMonths, isIsoDate, type IsoDate } from '@ies/calendar';
import { REFERRAL_SOURCES } from './action-plan-line';
import {
  PROTOTYPE_CALIBRATION,
  PROTOTYPE_CATCHMENT_IDS,
  PROTOTYPE_WINDOW,
  calibrationAt,
  type CellCounts,
  type PrototypeCatchmentId,
  type ReferralSource,
  type Stream,
} from './prototype-calibration';
import { DELIVERY_CATCHMENT_IDS, catchmentNetwork } from './synthetic-network';

/**
 * How many plans start when, per catchment, before any plan is drawn: the exact part of the generator.
 *
 * A catchment's timeline has at most two segments, each with exact counts per referral source and
 * stream and per start day:
 * - the calibration window (1 Jan 2021 – 3 Jan 2023, prototype catchments only), with the counts of
 *   `calibrationAt(scale)`;
 * - in the full set, the rest: from 4 January 2023 (prototypes) or the IES delivery start (the others)
 *   to `until`. Each calendar month gets `Math.round(rate × scale × days covered / days in the month)`
 *   plans (the first and last months may be partial), where the rate is the catchment's calibrated
 *   window count / 24 for the prototypes (1,125, 510.4 and 1,000) and `MONTHLY_RATE` (875, about their
 *   average) for the others. The segment's total is split over referral sources and streams once, in
 *   the proportions of the catchment's calibration (the three prototypes' for the others).
 * Splits use cumulative flooring (`apportion`), so the parts always add up to the whole. Within a
 * window or month, plans start on weekdays (every day if it has none), as evenly as integers allow:
 * day i of D gets floor((i+1)·T/D) − floor(i·T/D) of the T plans.
 */
export const MONTHLY_RATE = 875;
export const DEFAULT_UNTIL: IsoDate = '2026-09-30';
export const LATEST_UNTIL: IsoDate = '2099-12-31';
export const MAX_SCALE = 100;

export type GeneratedSet = 'prototype' | 'full';

export interface GeneratorOptions {
  seed: number;
  /** Multiplies every count (default 1); see `calibrationAt` for the rounding. */
  scale?: number;
  /** The data describes the world as of this date (default 2026-09-30), never today. */
  until?: IsoDate;
  /** Default: every catchment with an IES delivery start (for 'prototype', the three prototypes). */
  catchments?: string[];
  /** 'full' (default): every catchment from its delivery start to `until`; 'prototype': the window. */
  set?: GeneratedSet;
}

export interface ResolvedOptions {
  seed: number;
  scale: number;
  until: IsoDate;
  set: GeneratedSet;
  catchmentIds: string[];
}

/** Plans per referral source × stream, in `CELL_KEYS` order. */
export const CELL_KEYS: readonly (readonly [ReferralSource, Stream])[] = REFERRAL_SOURCES.flatMap((r) =>
  (['C', 'B', 'A'] as const).map((k) => [r, k] as const),
);

export interface DailyStarts {
  date: IsoDate;
  count: number;
}

/** A stretch of a catchment's timeline: its plans per cell (`CELL_KEYS` order) and per start day. */
export interface Segment {
  from: IsoDate;
  to: IsoDate;
  cells: number[];
  starts: DailyStarts[];
}

const isPrototype = (id: string): id is PrototypeCatchmentId =>
  (PROTOTYPE_CATCHMENT_IDS as readonly string[]).includes(id);
const toCells = (counts: CellCounts) => CELL_KEYS.map(([r, k]) => counts[r][k]);
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Checks the options and fills in the defaults; throws a RangeError naming the first bad option. */
export function resolveOptions(options: GeneratorOptions): ResolvedOptions {
  const { seed, scale = 1, until = DEFAULT_UNTIL, set = 'full' } = options;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError('seed must be a non-negative integer');
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE)
    throw new RangeError(`scale must be more than 0 and at most ${MAX_SCALE}`);
  if (!isIsoDate(until) || until < PROTOTYPE_WINDOW.to || until > LATEST_UNTIL)
    throw new RangeError(`until must be a date from ${PROTOTYPE_WINDOW.to} to ${LATEST_UNTIL}`);
  if (set !== 'prototype' && set !== 'full') throw new RangeError('set must be prototype or full');
  const allowed: readonly string[] = set === 'prototype' ? PROTOTYPE_CATCHMENT_IDS : DELIVERY_CATCHMENT_IDS;
  const wanted = options.catchments ?? allowed;
  for (const id of wanted)
    if (!allowed.includes(id))
      throw new RangeError(
        set === 'prototype'
          ? `${id} is not a prototype catchment`
          : `${id} is not a catchment with an IES delivery start`,
      );
  // The seed's order, whatever the order asked: the output does not depend on how options are spelled.
  return { seed, scale, until, set, catchmentIds: allowed.filter((id) => wanted.includes(id)) };
}

/** Splits `total` over `weights` by cumulative flooring: exact, deterministic, proportional. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const all = sum(weights);
  let before = 0;
  return weights.map((w) => {
    const floorBefore = Math.floor((total * before) / all);
    before += w;
    return Math.floor((total * before) / all) - floorBefore;
  });
}

const daysBetween = (from: IsoDate, to: IsoDate) => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
const firstOfMonth = (date: IsoDate) => `${date.slice(0, 8)}01`;

/** Plans start on weekdays (every day of a stretch without one), spread as evenly as integers allow. */
function evenStarts(from: IsoDate, to: IsoDate, total: number): DailyStarts[] {
  const all: IsoDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) all.push(d);
  const weekdays = all.filter((d) => {
    const day = new Date(`${d}T00:00:00Z`).getUTCDay();
    return day !== 0 && day !== 6;
  });
  const days = weekdays.length > 0 ? weekdays : all;
  return days.map((date, i) => ({
    date,
    count: Math.floor(((i + 1) * total) / days.length) - Math.floor((i * total) / days.length),
  }));
}

/** The segments of one catchment's timeline for the resolved options (at most two). */
export function segmentsOf(catchmentId: string, options: ResolvedOptions): Segment[] {
  const segments: Segment[] = [];
  let from: IsoDate;
  let weights: number[];
  let rate: number;
  if (isPrototype(catchmentId)) {
    const cells = toCells(calibrationAt(options.scale).cells[catchmentId]);
    segments.push({
      ...PROTOTYPE_WINDOW,
      cells,
      starts: evenStarts(PROTOTYPE_WINDOW.from, PROTOTYPE_WINDOW.to, sum(cells)),
    });
    if (options.set === 'prototype') return segments;
    weights = toCells(PROTOTYPE_CALIBRATION.cells[catchmentId]);
    rate = sum(weights) / 24;
    from = addDays(PROTOTYPE_WINDOW.to, 1);
  } else {
    weights = CELL_KEYS.map((_, i) =>
      sum(PROTOTYPE_CATCHMENT_IDS.map((id) => toCells(PROTOTYPE_CALIBRATION.cells[id])[i]!)),
    );
    rate = MONTHLY_RATE;
    from = catchmentNetwork(catchmentId).iesDeliveryStartDate;
  }
  if (from > options.until) return segments;
  const starts: DailyStarts[] = [];
  for (let next = from; next <= options.until;) {
    const monthStart = firstOfMonth(next);
    const monthEnd = addDays(addMonths(monthStart, 1), -1);
    const to = monthEnd <= options.until ? monthEnd : options.until;
    const total = Math.round(
      (rate * options.scale * daysBetween(next, to)) / daysBetween(monthStart, monthEnd),
    );
    starts.push(...evenStarts(next, to, total));
    next = addDays(to, 1);
  }
  const total = sum(starts.map((s) => s.count));
  segments.push({ from, to: options.until, cells: apportion(total, weights), starts });
  return segments;
}
