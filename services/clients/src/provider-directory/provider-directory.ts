import { mutationError, type MutationError } from '@ies/subgraph-kit';
import { contractsQuery, type Upstream } from './internal-query';

/** What the clients service needs to know of a provider (the contracts service owns providers). */
export interface DirectoryProvider {
  id: string;
  organizationName: string;
  indigenousProvider: boolean;
  francophoneProvider: boolean;
  sites: { id: string; catchmentId: string }[];
}

/** Looks providers up by id; an unknown id is absent from the answer. */
export interface ProviderDirectory {
  providers(ids: readonly string[]): Promise<Map<string, DirectoryProvider>>;
  /** False while the directory has no copy at all (the contracts service never answered). */
  readonly available: boolean;
}

/**
 * The refusal for a provider id the directory does not hold: NOT_FOUND when the directory has a copy,
 * a "try again later" when it has none (the contracts service is unreachable), never a guess.
 */
export function unknownProvider(
  directory: ProviderDirectory,
  providerId: string,
  field: string,
): MutationError {
  return directory.available
    ? mutationError('NOT_FOUND', `No service provider ${providerId}`, field)
    : mutationError(
        'RULE_VIOLATION',
        'The provider directory (contracts service) is unavailable; try again later',
        field,
      );
}

/** A directory over a fixed list: the seed's synthetic network, which mirrors the contracts seed. */
export class ListedProviderDirectory implements ProviderDirectory {
  readonly available = true;
  private readonly byId: Map<string, DirectoryProvider>;

  constructor(providers: readonly DirectoryProvider[]) {
    this.byId = new Map(providers.map((p) => [p.id, p]));
  }

  providers(ids: readonly string[]): Promise<Map<string, DirectoryProvider>> {
    return Promise.resolve(
      new Map(ids.filter((id) => this.byId.has(id)).map((id) => [id, this.byId.get(id)!])),
    );
  }
}

const QUERY = `query ProviderDirectory($after: String) {
  serviceProviders(first: 100, after: $after) {
    edges { node { id organizationName indigenousProvider francophoneProvider sites { id catchment { id } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface ProviderNode {
  id: string;
  organizationName: string;
  indigenousProvider: boolean;
  francophoneProvider: boolean;
  sites: { id: string; catchment: { id: string } }[];
}

/** A full refresh at most this often when a request names a provider not in the copy. */
export const ON_DEMAND_REFRESH_MS = 30_000;
/** The copy is refreshed in the background when older than this. */
export const DIRECTORY_MAX_AGE_MS = 300_000;

/**
 * The public provider directory of the contracts subgraph, read over HTTP (as PUBLIC, signed with the
 * internal secret) and kept in memory: a few hundred providers at most. The copy is refreshed when it
 * is older than `DIRECTORY_MAX_AGE_MS`, and on demand (shared, rate-limited) when a request names an
 * unknown provider, so a provider just added in the contracts service is found without a restart.
 */
export class ContractsProviderDirectory implements ProviderDirectory {
  private copy: Map<string, DirectoryProvider> | null = null;

  get available(): boolean {
    return this.copy !== null;
  }

  private copiedAt = 0;
  private inFlight: Promise<void> | null = null;
  private lastOnDemand = 0;

  constructor(private readonly options: Upstream & { onDemandRefreshMs?: number; maxAgeMs?: number }) {}

  async providers(ids: readonly string[]): Promise<Map<string, DirectoryProvider>> {
    const maxAge = this.options.maxAgeMs ?? DIRECTORY_MAX_AGE_MS;
    if (!this.copy || Date.now() - this.copiedAt > maxAge) await this.refresh();
    else if (ids.some((id) => !this.copy!.has(id))) {
      const minInterval = this.options.onDemandRefreshMs ?? ON_DEMAND_REFRESH_MS;
      if (Date.now() - this.lastOnDemand >= minInterval) {
        this.lastOnDemand = Date.now();
        await this.refresh();
      }
    }
    const copy = this.copy ?? new Map<string, DirectoryProvider>();
    return new Map(ids.filter((id) => copy.has(id)).map((id) => [id, copy.get(id)!]));
  }

  /** Replaces the copy with a fresh one (joining a refresh already running); keeps the old on failure. */
  async refresh(): Promise<void> {
    this.inFlight ??= this.fetchAll()
      .then((nodes) => {
        this.copy = new Map(
          nodes.map((node) => [
            node.id,
            {
              id: node.id,
              organizationName: node.organizationName,
              indigenousProvider: node.indigenousProvider === true,
              francophoneProvider: node.francophoneProvider === true,
              sites: node.sites.map((s) => ({ id: s.id, catchmentId: s.catchment.id })),
            },
          ]),
        );
        this.copiedAt = Date.now();
        this.options.logger.info({ providers: nodes.length }, 'provider directory refreshed');
      })
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'provider directory refresh failed');
      })
      .finally(() => {
        this.inFlight = null;
      });
    await this.inFlight;
  }

  private async fetchAll(): Promise<ProviderNode[]> {
    const nodes: ProviderNode[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const data: {
        serviceProviders: {
          edges: { node: ProviderNode }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      } = await contractsQuery(this.options, QUERY, { after });
      nodes.push(...data.serviceProviders.edges.map((e) => e.node));
      if (!data.serviceProviders.pageInfo.hasNextPage) break;
      after = data.serviceProviders.pageInfo.endCursor;
    }
    return nodes.filter((n) => typeof n.id === 'string' && Array.isArray(n.sites));
  }
}
