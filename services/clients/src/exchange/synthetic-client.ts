import { addDays, addMonths, type IsoDate } from '@ies/calendar';
import type { ActionPlanClient } from './action-plan-line';
import { EQUITY_FIELDS } from './action-plan-line';
import type { Random } from './synthetic-random';
import type { CatchmentNetwork } from './synthetic-network';
import { FAMILY_NAMES, GIVEN_NAMES } from './synthetic-names';

/**
 * A synthetic client. About 30% are youth (16–29 on the day the plan starts), the rest 30–64. Equity
 * answers are self-identified and optional: each is left null (not asked) 7% of the time, and 29% of
 * clients answer "prefer not to answer" to one or two of them (DOMAIN.md §3). YES rates follow the
 * catchment's population loosely (more newcomers and racialized clients in Peel and York, more
 * Francophone clients in Ottawa).
 */
export const CLIENT_MIX = {
  youthShare: 0.3,
  notAskedShare: 0.07,
  preferNotToAnswerShare: 0.29,
  contactShare: 0.88,
} as const;

type EquityField = (typeof EQUITY_FIELDS)[number];

const YES_RATES: Record<EquityField, number> = {
  indigenous: 0.04,
  francophone: 0.03,
  disability: 0.22,
  newcomer: 0.15,
  racialized: 0.3,
};

const CATCHMENT_YES_RATES: Record<string, Partial<Record<EquityField, number>>> = {
  peel: { newcomer: 0.35, racialized: 0.65 },
  york: { newcomer: 0.25, racialized: 0.5 },
  ottawa: { francophone: 0.18, newcomer: 0.2, racialized: 0.35 },
  'muskoka-kawarthas': { indigenous: 0.08, racialized: 0.1 },
  'kingston-pembroke': { francophone: 0.06, racialized: 0.12 },
  london: { indigenous: 0.07 },
  'windsor-sarnia': { francophone: 0.05, indigenous: 0.06 },
};

const asciiLower = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

export function newClient(
  random: Random,
  network: CatchmentNetwork,
  camsReference: string,
  startedOn: IsoDate,
): ActionPlanClient {
  const givenName = random.pick(GIVEN_NAMES);
  const familyName = random.pick(FAMILY_NAMES);
  const age = random.next() < CLIENT_MIX.youthShare ? random.int(16, 29) : random.int(30, 64);
  const birthDate = addDays(addMonths(startedOn, -12 * age), -random.int(0, 364));

  const rates = { ...YES_RATES, ...CATCHMENT_YES_RATES[network.catchmentId] };
  const declined = new Set<EquityField>();
  if (random.next() < CLIENT_MIX.preferNotToAnswerShare) {
    declined.add(random.pick(EQUITY_FIELDS));
    if (random.next() < 0.3) declined.add(random.pick(EQUITY_FIELDS));
  }
  const answer = (field: EquityField) => {
    if (declined.has(field)) return 'PREFER_NOT_TO_ANSWER' as const;
    if (random.next() < CLIENT_MIX.notAskedShare) return null;
    return random.next() < rates[field] ? ('YES' as const) : ('NO' as const);
  };

  let contact: ActionPlanClient['contact'] = null;
  if (random.next() < CLIENT_MIX.contactShare) {
    const serial = camsReference.slice(-4);
    const email =
      random.next() < 0.75
        ? `${asciiLower(givenName)}.${asciiLower(familyName)}.${serial}@example.com`
        : null;
    const phone =
      random.next() < 0.9 ? `${network.areaCode}-555-01${String(random.int(0, 99)).padStart(2, '0')}` : null;
    contact = email || phone ? { email, phone } : null;
  }

  return {
    camsReference,
    givenName,
    familyName,
    birthDate,
    indigenous: answer('indigenous'),
    francophone: answer('francophone'),
    disability: answer('disability'),
    newcomer: answer('newcomer'),
    racialized: answer('racialized'),
    contact,
  };
}

/** Youth: under 30 on the given date. */
export function isYouthOn(birthDate: IsoDate, date: IsoDate): boolean {
  return addMonths(birthDate, 12 * 30) > date;
}
