import { fiscalQuartersBetween, type IsoDate } from '@ies/calendar';
import { phase2TransitionArrangement } from '../agreement/agreement-rules';
import type { ProviderAgreementDoc } from '../agreement/provider-agreement.model';
import type { ContractDoc } from '../contract/contract.model';
import type { Funding, PerformanceTarget } from '../common/terms';
import type {
  ProviderOrganizationType,
  ServiceProviderDoc,
  SiteDoc,
} from '../service-provider/service-provider.model';
import { seededRandom } from './prng';

/**
 * Synthetic, deterministic seed data for the contracts of every catchment that has an SSM (DOMAIN §1–2).
 * Every organization name says "(synthetic)"; amounts and targets come from a seeded PRNG, so tests
 * and demos see the same numbers. Catchment ids, SSM ids and dates mirror the catchments seed; this
 * service never reads the catchments database.
 */
export const SEED = 'ies-contracts-seed-v1';

interface CatchmentSeed {
  catchmentId: string;
  ssmId: string;
  planningStartDate: IsoDate;
  phase2: boolean;
  communities: string[];
}

const PHASE_2_PLANNING = '2023-02-01';

export const SEEDED_CATCHMENTS: CatchmentSeed[] = [
  {
    catchmentId: 'hamilton-niagara-peninsula',
    ssmId: 'fedcap-canada',
    planningStartDate: '2020-01-01',
    phase2: false,
    communities: ['Hamilton', 'St. Catharines', 'Niagara Falls', 'Welland'],
  },
  {
    catchmentId: 'muskoka-kawarthas',
    ssmId: 'fleming-college',
    planningStartDate: '2020-01-01',
    phase2: false,
    communities: ['Peterborough', 'Lindsay', 'Bracebridge', 'Huntsville'],
  },
  {
    catchmentId: 'peel',
    ssmId: 'wcg-international-consultants-ltd',
    planningStartDate: '2020-01-01',
    phase2: false,
    communities: ['Mississauga', 'Brampton', 'Caledon'],
  },
  {
    catchmentId: 'halton',
    ssmId: 'fedcap-canada',
    planningStartDate: '2022-04-01',
    phase2: false,
    communities: ['Oakville', 'Burlington', 'Milton', 'Halton Hills'],
  },
  {
    catchmentId: 'kingston-pembroke',
    ssmId: 'serco-canada',
    planningStartDate: '2022-09-01',
    phase2: false,
    communities: ['Kingston', 'Belleville', 'Pembroke', 'Brockville'],
  },
  {
    catchmentId: 'stratford-bruce-peninsula',
    ssmId: 'county-of-bruce',
    planningStartDate: '2022-04-01',
    phase2: false,
    communities: ['Stratford', 'Owen Sound', 'Goderich', 'Walkerton'],
  },
  {
    catchmentId: 'york',
    ssmId: 'wcg-international-consultants-ltd',
    planningStartDate: '2022-04-01',
    phase2: false,
    communities: ['Markham', 'Vaughan', 'Newmarket', 'Richmond Hill'],
  },
  {
    catchmentId: 'durham',
    ssmId: 'region-of-durham',
    planningStartDate: PHASE_2_PLANNING,
    phase2: true,
    communities: ['Oshawa', 'Whitby', 'Pickering', 'Ajax'],
  },
  {
    catchmentId: 'kitchener-waterloo-barrie',
    ssmId: 'serco-canada',
    planningStartDate: PHASE_2_PLANNING,
    phase2: true,
    communities: ['Kitchener', 'Waterloo', 'Barrie', 'Guelph'],
  },
  {
    catchmentId: 'london',
    ssmId: 'city-of-london',
    planningStartDate: PHASE_2_PLANNING,
    phase2: true,
    communities: ['London', 'St. Thomas', 'Woodstock', 'Strathroy'],
  },
  {
    catchmentId: 'ottawa',
    ssmId: 'wcg-international-consultants-ltd',
    planningStartDate: PHASE_2_PLANNING,
    phase2: true,
    communities: ['Ottawa', 'Orléans', 'Kanata', 'Nepean'],
  },
  {
    catchmentId: 'windsor-sarnia',
    ssmId: 'city-of-windsor',
    planningStartDate: PHASE_2_PLANNING,
    phase2: true,
    communities: ['Windsor', 'Sarnia', 'Chatham', 'Leamington'],
  },
];

/** Current agreements: fiscal year 2025-26. */
export const CURRENT_TERM = { termStartDate: '2025-04-01', termEndDate: '2026-03-31' } as const;
export const CONTRACT_TERM_END = '2028-03-31';
const SEEDED_AT = new Date('2025-03-15T12:00:00Z');
const OUTSIDE_COMMUNITY = 'Neighbouring-catchment office';

const IN_SCOPE_EXTRAS = [
  'youth-job-connection',
  'youth-job-connection-summer',
  'ontario-employment-assistance-service',
  'supported-employment',
  'odsp-employment-supports',
];
const ORG_TYPES: ProviderOrganizationType[] = ['NON_PROFIT', 'NON_PROFIT', 'PUBLIC', 'PRIVATE', 'MUNICIPAL'];
const NAME_FORMS = [
  'Sample Employment Services',
  'Sample Career Centre',
  'Sample Job Connections',
  'Sample Community Employment Hub',
];

const dollars = (n: number) => n * 100;

/** About 20% of funding is performance-based (DOMAIN §2). */
function fundingOf(random: ReturnType<typeof seededRandom>, minDollars: number, maxDollars: number): Funding {
  const total = dollars(random.int(minDollars / 1000, maxDollars / 1000) * 1000);
  const performanceCents = Math.round((total * random.int(18, 22)) / 100 / 100) * 100;
  return { fixedCents: total - performanceCents, performanceCents };
}

function quarterlyTargets(
  random: ReturnType<typeof seededRandom>,
  startDate: IsoDate,
  endDate: IsoDate,
  scale: number,
): PerformanceTarget[] {
  return fiscalQuartersBetween(startDate, endDate).flatMap((q) => {
    const plans = random.int(scale, scale * 2);
    return [
      {
        fiscalYear: q.fiscalYear,
        quarter: q.quarter,
        measure: 'ACTION_PLANS_STARTED' as const,
        value: plans,
      },
      {
        fiscalYear: q.fiscalYear,
        quarter: q.quarter,
        measure: 'EMPLOYMENT_OUTCOMES' as const,
        value: Math.round(plans * 0.35),
      },
    ];
  });
}

function site(
  providerId: string,
  n: number,
  catchmentId: string,
  community: string,
  extra: Partial<SiteDoc> = {},
): SiteDoc {
  return {
    id: `${providerId}-site-${n}`,
    name: `${community} office`,
    address: `${100 + n * 11} Sample Street (synthetic), ${community}, ON`,
    community,
    catchmentId,
    insideCatchment: true,
    onReserve: false,
    ...extra,
  };
}

/** The providers of one catchment: four ordinary ones, plus the special cases the domain needs. */
function providersOf(c: CatchmentSeed): ServiceProviderDoc[] {
  const random = seededRandom(`${SEED}/providers/${c.catchmentId}`);
  const providers: ServiceProviderDoc[] = c.communities.slice(0, 4).map((community, i) => {
    const id = `sp-${c.catchmentId}-${i + 1}`;
    const sites = [site(id, 1, c.catchmentId, community)];
    if (random.next() < 0.5) sites.push(site(id, 2, c.catchmentId, random.pick(c.communities)));
    // Phase 2: provider 2 also runs an office outside the catchment (standard 12-month agreement);
    // the others keep every site inside (ministry contract until 30 April 2023).
    if (c.phase2 && i === 1)
      sites.push(site(id, 3, c.catchmentId, OUTSIDE_COMMUNITY, { insideCatchment: false }));
    return {
      _id: id,
      organizationName: `${NAME_FORMS[i % NAME_FORMS.length]} ${community} (synthetic)`,
      organizationType: random.pick(ORG_TYPES),
      indigenousProvider: false,
      francophoneProvider: false,
      sites,
      catchmentIds: [c.catchmentId],
      version: 1,
    };
  });
  if (c.catchmentId === 'london') {
    const id = `sp-london-indigenous`;
    providers.push({
      _id: id,
      organizationName: 'Sample Indigenous Employment Circle London (synthetic)',
      organizationType: 'INDIGENOUS_ORGANIZATION',
      indigenousProvider: true,
      francophoneProvider: false,
      sites: [
        site(id, 1, 'london', 'London'),
        site(id, 2, 'london', 'Sample First Nation (synthetic)', {
          onReserve: true,
          name: 'On-reserve employment office',
        }),
      ],
      catchmentIds: ['london'],
      version: 1,
    });
  }
  if (c.catchmentId === 'ottawa') {
    const id = 'sp-ottawa-francophone';
    providers.push({
      _id: id,
      organizationName: "Services d'emploi exemple d'Ottawa (synthétique)",
      organizationType: 'NON_PROFIT',
      indigenousProvider: false,
      francophoneProvider: true,
      sites: [site(id, 1, 'ottawa', 'Orléans'), site(id, 2, 'ottawa', 'Vanier')],
      catchmentIds: ['ottawa'],
      version: 1,
    });
  }
  return providers;
}

function agreement(
  provider: ServiceProviderDoc,
  c: CatchmentSeed,
  fields: Pick<ProviderAgreementDoc, 'kind' | 'termStartDate' | 'termEndDate' | 'status' | 'programIds'>,
  random: ReturnType<typeof seededRandom>,
): ProviderAgreementDoc {
  const prefix = fields.kind === 'SSM_AGREEMENT' ? 'agr' : 'mtp';
  return {
    _id: `${prefix}-${provider._id}-${fields.termStartDate}`,
    ...fields,
    catchmentId: c.catchmentId,
    ssmId: fields.kind === 'SSM_AGREEMENT' ? c.ssmId : null,
    providerId: provider._id,
    siteIds: provider.sites.filter((s) => s.catchmentId === c.catchmentId && !s.onReserve).map((s) => s.id),
    funding: fundingOf(random, 400_000, 2_500_000),
    targets: quarterlyTargets(random, fields.termStartDate, fields.termEndDate, random.int(40, 120)),
    createdAt: SEEDED_AT,
    createdBy: 'seed',
    creationReason: 'Synthetic seed data',
    version: 1,
  };
}

/** Agreements of one catchment's providers: the current year for all, and the Phase 2 transition ones. */
function agreementsOf(c: CatchmentSeed, providers: ServiceProviderDoc[]): ProviderAgreementDoc[] {
  const random = seededRandom(`${SEED}/agreements/${c.catchmentId}`);
  return providers.flatMap((provider) => {
    const extras = IN_SCOPE_EXTRAS.filter(() => random.next() < 0.4);
    const current = agreement(
      provider,
      c,
      {
        kind: 'SSM_AGREEMENT',
        ...CURRENT_TERM,
        status: 'ACTIVE',
        programIds: ['employment-service', ...extras, 'ontario-works-employment-assistance'],
      },
      random,
    );
    if (!c.phase2 || provider.indigenousProvider || provider.francophoneProvider) return [current];
    const arrangement = phase2TransitionArrangement(provider.sites, c.catchmentId);
    const transition = agreement(
      provider,
      c,
      {
        kind: arrangement.kind,
        termStartDate: arrangement.termStartDate ?? '2022-04-01',
        termEndDate: arrangement.termEndDate,
        status: 'EXPIRED',
        programIds: ['employment-service', ...extras],
      },
      random,
    );
    return [transition, current];
  });
}

function contractOf(c: CatchmentSeed): ContractDoc {
  const random = seededRandom(`${SEED}/contract/${c.catchmentId}`);
  return {
    _id: `contract-${c.catchmentId}`,
    catchmentId: c.catchmentId,
    ssmId: c.ssmId,
    termStartDate: c.planningStartDate,
    termEndDate: CONTRACT_TERM_END,
    funding: fundingOf(random, 20_000_000, 90_000_000),
    targets: quarterlyTargets(
      random,
      CURRENT_TERM.termStartDate,
      CURRENT_TERM.termEndDate,
      random.int(1500, 4000),
    ),
    createdAt: SEEDED_AT,
    createdBy: 'seed',
    creationReason: 'Synthetic seed data',
    version: 1,
  };
}

/** The whole seed network, computed (not stored) so tests can compare against it. */
export function seedNetwork() {
  const providers: ServiceProviderDoc[] = [];
  const agreements: ProviderAgreementDoc[] = [];
  const contracts: ContractDoc[] = [];
  for (const c of SEEDED_CATCHMENTS) {
    const network = providersOf(c);
    providers.push(...network);
    agreements.push(...agreementsOf(c, network));
    contracts.push(contractOf(c));
  }
  return { providers, agreements, contracts };
}
