import { seedNetwork } from '@ies/contracts/src/seed/network-seed';

/**
 * What the disputes rules need to know of providers: the catchments they have a site in (a provider
 * opens disputes only where it delivers). Absent from the answer: an unknown provider.
 */
export interface ProviderSites {
  catchmentsOf(providerIds: readonly string[]): Promise<Map<string, readonly string[]>>;
}

/** A source over a fixed list of providers. */
export function listedProviderSites(
  providers: readonly { id: string; sites: readonly { catchmentId: string }[] }[],
): ProviderSites {
  const byId = new Map(providers.map((p) => [p.id, [...new Set(p.sites.map((s) => s.catchmentId))]]));
  return {
    catchmentsOf: async (ids) =>
      new Map(ids.filter((id) => byId.has(id)).map((id) => [id, byId.get(id)!] as const)),
  };
}

/**
 * The provider network the disputes service knows: the synthetic network of the contracts seed (the
 * same one the dispute generator and the clients seed use), read once.
 */
let seeded: ProviderSites | null = null;
export function seedProviderSites(): ProviderSites {
  seeded ??= listedProviderSites(seedNetwork().providers.map((p) => ({ id: p._id, sites: p.sites })));
  return seeded;
}
