import { addMonths, type IsoDate } from '@ies/calendar';
import type { RolloutPhase } from '../catchment-area/catchment-area.model';
import type { OrganizationType } from '../service-system-manager/service-system-manager.model';

/**
 * The 15 catchment areas and their SSMs (DOMAIN.md §1).
 *
 * Dates: the planning start is the start of the published planning-and-transition range and the
 * IES delivery start is the published IES start. Only Phase 2 publishes where transition begins
 * (planning Feb–Apr 2023, transition May–Dec 2023, delivery 1 Jan 2024); for the other catchments the
 * transition start is derived the same way, 8 months before IES delivery, and says so in its notes.
 * The ministry corrects any of them with `setCatchmentPeriodDates`.
 */
export interface ManagerSeed {
  id: string;
  organizationName: string;
  organizationType: OrganizationType;
}

export interface CatchmentSeed {
  id: string;
  name: string;
  phase: RolloutPhase;
  ssmId: string | null;
  planningStartDate: IsoDate | null;
  transitionStartDate: IsoDate | null;
  iesDeliveryStartDate: IsoDate | null;
  notes: string[];
}

export const MANAGERS: ManagerSeed[] = [
  { id: 'fedcap-canada', organizationName: 'FEDCAP CANADA', organizationType: 'NON_PROFIT' },
  { id: 'fleming-college', organizationName: 'Fleming College', organizationType: 'PUBLIC' },
  {
    id: 'wcg-international-consultants-ltd',
    organizationName: 'WCG INTERNATIONAL CONSULTANTS LTD',
    organizationType: 'PRIVATE',
  },
  { id: 'serco-canada', organizationName: 'Serco Canada', organizationType: 'PRIVATE' },
  {
    id: 'county-of-bruce',
    organizationName: 'The Corporation of the County of Bruce',
    organizationType: 'MUNICIPAL',
  },
  { id: 'region-of-durham', organizationName: 'Region of Durham', organizationType: 'MUNICIPAL' },
  { id: 'city-of-london', organizationName: 'City of London', organizationType: 'MUNICIPAL' },
  { id: 'city-of-windsor', organizationName: 'City of Windsor', organizationType: 'MUNICIPAL' },
];

const TRANSITION_MONTHS = 8;
const ON_RESERVE =
  'Services delivered in First Nations communities on-reserve are exempt from the SSM model.';
const DERIVED_TRANSITION =
  'Transition start derived as 8 months before IES delivery (the published Phase 2 pattern); the split is not published for this catchment.';
const PHASE_3 =
  'Phase 3: service delivery zones protect in-person access in rural and remote communities; refined performance indicators, enhanced partnership requirements and Indigenous service expectations apply.';
const TBA = 'SSM and period dates to be announced (TBA).';

function scheduled(
  id: string,
  name: string,
  phase: RolloutPhase,
  ssmId: string,
  planningStartDate: IsoDate,
  iesDeliveryStartDate: IsoDate,
  transitionStartDate?: IsoDate,
): CatchmentSeed {
  return {
    id,
    name,
    phase,
    ssmId,
    planningStartDate,
    transitionStartDate: transitionStartDate ?? addMonths(iesDeliveryStartDate, -TRANSITION_MONTHS),
    iesDeliveryStartDate,
    notes: transitionStartDate ? [ON_RESERVE] : [ON_RESERVE, DERIVED_TRANSITION],
  };
}

const tba = (id: string, name: string): CatchmentSeed => ({
  id,
  name,
  phase: 'PHASE_3',
  ssmId: null,
  planningStartDate: null,
  transitionStartDate: null,
  iesDeliveryStartDate: null,
  notes: [ON_RESERVE, PHASE_3, TBA],
});

const PHASE_2 = ['2023-02-01', '2024-01-01', '2023-05-01'] as const;

export const CATCHMENTS: CatchmentSeed[] = [
  scheduled(
    'hamilton-niagara-peninsula',
    'Hamilton–Niagara Peninsula',
    'PROTOTYPE',
    'fedcap-canada',
    '2020-01-01',
    '2021-01-01',
  ),
  scheduled(
    'muskoka-kawarthas',
    'Muskoka–Kawarthas',
    'PROTOTYPE',
    'fleming-college',
    '2020-01-01',
    '2021-01-01',
  ),
  scheduled('peel', 'Peel', 'PROTOTYPE', 'wcg-international-consultants-ltd', '2020-01-01', '2021-01-01'),
  scheduled('halton', 'Halton', 'PHASE_1', 'fedcap-canada', '2022-04-01', '2023-04-01'),
  scheduled('kingston-pembroke', 'Kingston–Pembroke', 'PHASE_1', 'serco-canada', '2022-09-01', '2023-10-01'),
  scheduled(
    'stratford-bruce-peninsula',
    'Stratford–Bruce Peninsula',
    'PHASE_1',
    'county-of-bruce',
    '2022-04-01',
    '2023-04-01',
  ),
  scheduled('york', 'York', 'PHASE_1', 'wcg-international-consultants-ltd', '2022-04-01', '2023-04-01'),
  scheduled('durham', 'Durham', 'PHASE_2', 'region-of-durham', ...PHASE_2),
  scheduled('kitchener-waterloo-barrie', 'Kitchener–Waterloo–Barrie', 'PHASE_2', 'serco-canada', ...PHASE_2),
  scheduled('london', 'London', 'PHASE_2', 'city-of-london', ...PHASE_2),
  scheduled('ottawa', 'Ottawa', 'PHASE_2', 'wcg-international-consultants-ltd', ...PHASE_2),
  scheduled('windsor-sarnia', 'Windsor–Sarnia', 'PHASE_2', 'city-of-windsor', ...PHASE_2),
  tba('northeast', 'Northeast / Nord-Est'),
  tba('northwest', 'Northwest / Nord-Ouest'),
  tba('toronto', 'Toronto'),
];
