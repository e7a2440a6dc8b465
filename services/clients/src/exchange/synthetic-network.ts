import type { IsoDate } from '@ies/calendar';
import { CATCHMENTS } from '@ies/catchments/src/seed/catchment-seed';
import { SEEDED_CATCHMENTS, seedNetwork } from '@ies/contracts/src/seed/network-seed';

/**
 * What the generator needs of the synthetic provider network (the contracts seed) and of the
 * catchments seed. Sites count only when they are inside the catchment and not on-reserve (those are
 * outside the SSM model), so every generated plan names a provider and site that really serve there.
 */
export interface SyntheticProvider {
  id: string;
  siteIds: string[];
}

export interface CatchmentNetwork {
  catchmentId: string;
  iesDeliveryStartDate: IsoDate;
  communities: string[];
  areaCode: string;
  /** Providers without a specialized mandate: ordinary plans go to one of these. */
  providers: SyntheticProvider[];
  /** The catchment's Indigenous service provider, if one has a site there. */
  indigenousProvider: SyntheticProvider | null;
  /** The catchment's French-language service provider, if one has a site there. */
  francophoneProvider: SyntheticProvider | null;
}

/** Catchments with an IES delivery start, in the seed's order. */
export const DELIVERY_CATCHMENT_IDS: string[] = CATCHMENTS.filter((c) => c.iesDeliveryStartDate).map(
  (c) => c.id,
);

/** Fictional phone numbers (555-01xx) use the catchment's real area code. */
const AREA_CODES: Record<string, string> = {
  'hamilton-niagara-peninsula': '905',
  'muskoka-kawarthas': '705',
  peel: '905',
  halton: '905',
  'kingston-pembroke': '613',
  'stratford-bruce-peninsula': '519',
  york: '905',
  durham: '905',
  'kitchener-waterloo-barrie': '519',
  london: '519',
  ottawa: '613',
  'windsor-sarnia': '519',
};

let networks: Map<string, CatchmentNetwork> | undefined;

function buildNetworks(): Map<string, CatchmentNetwork> {
  const { providers } = seedNetwork();
  const result = new Map<string, CatchmentNetwork>();
  for (const id of DELIVERY_CATCHMENT_IDS) {
    const catchment = CATCHMENTS.find((c) => c.id === id)!;
    const seeded = SEEDED_CATCHMENTS.find((c) => c.catchmentId === id);
    const serving = providers
      .map((p) => ({
        provider: p,
        siteIds: p.sites
          .filter((s) => s.catchmentId === id && s.insideCatchment && !s.onReserve)
          .map((s) => s.id),
      }))
      .filter((p) => p.siteIds.length > 0);
    const pick = (flag: 'indigenousProvider' | 'francophoneProvider') => {
      const found = serving.find((p) => p.provider[flag]);
      return found ? { id: found.provider._id, siteIds: found.siteIds } : null;
    };
    const ordinary = serving
      .filter((p) => !p.provider.indigenousProvider && !p.provider.francophoneProvider)
      .map((p) => ({ id: p.provider._id, siteIds: p.siteIds }));
    if (!seeded || ordinary.length === 0)
      throw new Error(`The synthetic provider network has no provider with a site in ${id}`);
    result.set(id, {
      catchmentId: id,
      iesDeliveryStartDate: catchment.iesDeliveryStartDate!,
      communities: seeded.communities,
      areaCode: AREA_CODES[id] ?? '905',
      providers: ordinary,
      indigenousProvider: pick('indigenousProvider'),
      francophoneProvider: pick('francophoneProvider'),
    });
  }
  return result;
}

/** The network of a catchment in IES delivery (computed once from the seeds). */
export function catchmentNetwork(catchmentId: string): CatchmentNetwork {
  networks ??= buildNetworks();
  const network = networks.get(catchmentId);
  if (!network) throw new RangeError(`${catchmentId} is not a catchment with an IES delivery start`);
  return network;
}
