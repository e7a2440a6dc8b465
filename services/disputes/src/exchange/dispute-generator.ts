import { addBusinessDays, addDays, addMonths, isIsoDate, type IsoDate } from '@ies/calendar';
import { CATCHMENTS, type CatchmentSeed } from '@ies/catchments/src/seed/catchment-seed';
import { seededRandom } from '@ies/contracts/src/seed/prng';
import { seedNetwork } from '@ies/contracts/src/seed/network-seed';
import { DEFAULT_SLA_POLICY, slaDueDates } from '../dispute/dispute-sla';
import {
  nextLevel,
  startingLevel,
  type DisputeKind,
  type DisputeStatus,
  type EscalationLevel,
  type ResolutionOutcome,
} from '../dispute/dispute-lifecycle';
import { SWEEP_ACTOR } from '../sla-sweep/sla-breach';
import type { DisputeLine } from './dispute-line';

export interface GenerateOptions {
  seed: number | string;
  /** Multiplies the volume (1: about 8 disputes a month per catchment). */
  scale?: number;
  /** The last date generated (default 2025-12-31, fixed so the output never depends on the clock). */
  until?: IsoDate;
  /** Default: the catchments seed. */
  catchments?: readonly CatchmentSeed[];
  /** Default: the contracts seed network. */
  providers?: readonly { id: string; catchmentIds: string[] }[];
}

export const DEFAULT_UNTIL = '2025-12-31';
const PER_MONTH = 8;

type Random = ReturnType<typeof seededRandom>;

const weighted = <T>(random: Random, choices: readonly (readonly [T, number])[]): T => {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let roll = random.next() * total;
  for (const [choice, weight] of choices) {
    roll -= weight;
    if (roll < 0) return choice;
  }
  return choices.at(-1)![0];
};

const CLIENT_CATEGORIES = [
  ['SERVICE_QUALITY', 34],
  ['ACCESS_AND_ACCOMMODATION', 15],
  ['LANGUAGE_SERVICES', 8],
  ['REFERRAL', 20],
  ['PRIVACY', 7],
  ['OTHER', 16],
] as const;
const PROVIDER_CATEGORIES = [
  ['FUNDING_AND_PAYMENTS', 40],
  ['AGREEMENT_TERMS', 25],
  ['REFERRAL', 20],
  ['SERVICE_QUALITY', 5],
  ['OTHER', 10],
] as const;

const DESCRIPTIONS: Record<string, readonly string[]> = {
  SERVICE_QUALITY: [
    'Job search workshops were cancelled several times without notice',
    'The caseworker did not follow up on the agreed employment action plan',
    'Monitoring visits were carried out without the agreed notice',
  ],
  ACCESS_AND_ACCOMMODATION: [
    'The office is not wheelchair accessible and no alternative was offered',
    'No virtual appointments were offered despite a documented need',
  ],
  LANGUAGE_SERVICES: [
    'Services were not offered in French although requested',
    'No interpreter was arranged for the assessment appointment',
  ],
  REFERRAL: [
    'The referral to a training program was not sent',
    'Referrals to our organization stopped without explanation',
  ],
  PRIVACY: ['Personal information was shared with an employer without consent'],
  FUNDING_AND_PAYMENTS: [
    'The quarterly performance-based payment was not made',
    'The funding reconciliation disagrees with the outcomes we reported',
  ],
  AGREEMENT_TERMS: [
    'Targets were changed without the notice the agreement requires',
    'The agreement renewal terms differ from what was negotiated',
  ],
  OTHER: ['Complaint about how an earlier concern was handled'],
};

const SUMMARIES: Record<ResolutionOutcome, string> = {
  UPHELD: 'The complaint was upheld and the service put right',
  PARTLY_UPHELD: 'The complaint was partly upheld; corrective steps agreed',
  NOT_UPHELD: 'The complaint was reviewed and not upheld; reasons explained in writing',
  SETTLED: 'Settled with the party on first contact',
};

const SCENARIOS = [
  ['ON_TIME', 50],
  ['FIRST_CONTACT', 8],
  ['LATE_ACKNOWLEDGEMENT', 10],
  ['PARTY_ESCALATION', 10],
  ['LATE_RESOLUTION', 10],
  ['WITHDRAWN', 12],
] as const;

/** A short code per catchment for references: `D-2024-DUR00017`, `CL-DUR-000042`. */
const codeOf = (catchmentId: string) =>
  catchmentId
    .split('-')
    .map((part) => part.slice(0, 3).toUpperCase())
    .join('')
    .slice(0, 6);

interface Step {
  status: DisputeStatus;
  on: IsoDate;
  by: string;
  reason: string;
}

/** Who acts at a level of one dispute. */
const actorAt = (level: EscalationLevel, providerId: string | null, ssmId: string) =>
  level === 'PROVIDER' ? `staff:${providerId}` : level === 'SSM' ? `ssm:${ssmId}` : 'ministry:es-oversight';

/**
 * Synthetic disputes for every catchment in IES delivery by `until`, as exchange lines, the same for the
 * same options: a realistic mix of kinds (4 in 5 from clients), categories (funding and agreement terms
 * for providers), and handling — acknowledged and resolved on time, settled on first contact, a late
 * acknowledgement or resolution escalated by the SLA sweep, escalations asked for by a party,
 * withdrawals, and disputes still open at `until`. Clients are CaMS references of the catchment's
 * synthetic client pool (some bring more than one dispute); providers come from the contracts seed.
 */
export function* generateDisputes(options: GenerateOptions): Generator<DisputeLine> {
  const scale = options.scale ?? 1;
  const until = options.until ?? DEFAULT_UNTIL;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError('scale must be a positive number');
  if (!isIsoDate(until)) throw new RangeError(`until is not a date: ${until}`);
  const catchments = options.catchments ?? CATCHMENTS;
  const providers =
    options.providers ?? seedNetwork().providers.map((p) => ({ id: p._id, catchmentIds: p.catchmentIds }));
  for (const catchment of catchments) {
    if (!catchment.ssmId || !catchment.iesDeliveryStartDate || catchment.iesDeliveryStartDate > until)
      continue;
    const network = providers.filter((p) => p.catchmentIds.includes(catchment.id)).map((p) => p.id);
    if (network.length === 0) continue;
    const random = seededRandom(`ies-disputes/${options.seed}/${catchment.id}`);
    const code = codeOf(catchment.id);
    const clientPool = Math.max(20, Math.round(400 * scale));
    let serial = 0;
    let owed = 0;
    for (
      let month = catchment.iesDeliveryStartDate.slice(0, 8) + '01';
      month <= until;
      month = addMonths(month, 1)
    ) {
      owed += PER_MONTH * scale * (0.6 + 0.8 * random.next());
      for (; owed >= 1; owed--) {
        const openedOn = addBusinessDays(addDays(month, -1), random.int(1, 20));
        if (openedOn > until || openedOn < catchment.iesDeliveryStartDate) continue;
        const kind: DisputeKind = random.next() < 0.8 ? 'CLIENT' : 'SERVICE_PROVIDER';
        const providerId = kind === 'CLIENT' && random.next() < 0.1 ? null : random.pick(network);
        const category = weighted(random, kind === 'CLIENT' ? CLIENT_CATEGORIES : PROVIDER_CATEGORIES);
        const line: DisputeLine = {
          reference: `D-${options.seed}-${openedOn.slice(0, 4)}-${code}${String(++serial).padStart(5, '0')}`,
          kind,
          catchmentId: catchment.id,
          category,
          clientCamsReference:
            kind === 'CLIENT' ? `CL-${code}-${String(random.int(1, clientPool)).padStart(6, '0')}` : null,
          providerId,
          openedOn,
          history: [],
          resolution: null,
        };
        const { steps, resolution } = story(random, line, catchment.ssmId, until);
        yield { ...line, history: steps, resolution };
      }
    }
  }
}

/** The handling of one dispute, cut at `until` (a dispute still open then keeps its first steps). */
function story(
  random: Random,
  line: DisputeLine,
  ssmId: string,
  until: IsoDate,
): { steps: Step[]; resolution: DisputeLine['resolution'] } {
  const { acknowledgeBy, resolveBy } = slaDueDates(line.openedOn, DEFAULT_SLA_POLICY);
  let level = startingLevel(line.kind, line.providerId !== null);
  const by = () => actorAt(level, line.providerId, ssmId);
  const complainant = line.kind === 'CLIENT' ? 'client' : 'provider';
  const steps: Step[] = [
    {
      status: 'OPENED',
      on: line.openedOn,
      by: line.kind === 'CLIENT' ? by() : `staff:${line.providerId}`,
      reason: random.pick(DESCRIPTIONS[line.category]!),
    },
  ];
  let day = line.openedOn;
  const step = (status: DisputeStatus, businessDays: number, reason: string, who = by()) => {
    day = addBusinessDays(day, businessDays);
    if (status === 'ESCALATED') level = nextLevel(level) ?? level;
    steps.push({ status, on: day, by: who, reason });
  };
  const escalateAutomatically = (clock: 'Acknowledgement' | 'Resolution', dueOn: IsoDate) => {
    const to = nextLevel(level);
    if (!to) return;
    day = addBusinessDays(dueOn, 1);
    level = to;
    steps.push({
      status: 'ESCALATED',
      on: day,
      by: SWEEP_ACTOR.subject,
      reason: `${clock} was due by ${dueOn} and is overdue: escalated automatically to the ${to} level`,
    });
  };
  const resolveWithin = (latest: IsoDate, outcome?: ResolutionOutcome) => {
    const wanted = addBusinessDays(day, random.int(2, 12));
    day = wanted > latest && latest >= day ? latest : wanted;
    const chosen =
      outcome ??
      weighted(random, [
        ['UPHELD', 35],
        ['PARTLY_UPHELD', 30],
        ['NOT_UPHELD', 25],
        ['SETTLED', 10],
      ] as const);
    steps.push({ status: 'RESOLVED', on: day, by: by(), reason: 'Resolution communicated to the parties' });
    return { outcome: chosen, summary: SUMMARIES[chosen], on: day };
  };

  let resolution: DisputeLine['resolution'] = null;
  switch (weighted(random, SCENARIOS)) {
    case 'ON_TIME':
      step('ACKNOWLEDGED', random.int(1, 4), 'Receipt acknowledged in writing');
      step('UNDER_REVIEW', random.int(1, 3), 'Review started');
      resolution = resolveWithin(resolveBy);
      break;
    case 'FIRST_CONTACT':
      step('ACKNOWLEDGED', random.int(0, 2), 'Discussed with the party on first contact');
      resolution = resolveWithin(addBusinessDays(day, 0), 'SETTLED');
      break;
    case 'LATE_ACKNOWLEDGEMENT':
      escalateAutomatically('Acknowledgement', acknowledgeBy);
      step('UNDER_REVIEW', random.int(1, 3), `Taken over at the ${level} level`);
      resolution = resolveWithin(resolveBy);
      break;
    case 'PARTY_ESCALATION':
      step('ACKNOWLEDGED', random.int(1, 4), 'Receipt acknowledged in writing');
      step('UNDER_REVIEW', random.int(1, 3), 'Review started');
      step('ESCALATED', random.int(2, 6), `The ${complainant} asked for the next level`);
      step('UNDER_REVIEW', random.int(1, 3), `Taken over at the ${level} level`);
      resolution = resolveWithin(resolveBy);
      break;
    case 'LATE_RESOLUTION':
      step('ACKNOWLEDGED', random.int(1, 4), 'Receipt acknowledged in writing');
      step('UNDER_REVIEW', random.int(1, 3), 'Review started');
      escalateAutomatically('Resolution', resolveBy);
      resolution = resolveWithin(addBusinessDays(day, 20));
      break;
    case 'WITHDRAWN': {
      const acknowledged = random.next() < 0.6;
      if (acknowledged) step('ACKNOWLEDGED', random.int(1, 4), 'Receipt acknowledged in writing');
      // Unacknowledged, it is withdrawn before its acknowledgement is due (else the sweep acts first).
      step(
        'WITHDRAWN',
        acknowledged ? random.int(1, 8) : random.int(1, 5),
        `Withdrawn at the ${complainant}'s request`,
        line.kind === 'CLIENT' ? by() : `staff:${line.providerId}`,
      );
      break;
    }
  }
  const kept = steps.filter((s) => s.on <= until);
  const resolved = kept.some((s) => s.status === 'RESOLVED');
  return { steps: kept, resolution: resolved ? resolution : null };
}
