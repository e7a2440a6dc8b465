import { findWhereIn } from '@ies/db';
import { findPageById, type Connection, type PageArgs } from '@ies/subgraph-kit';
import type { ServiceProviderDoc, ServiceProviderModel } from './service-provider.model';

export interface ServiceProviderFilter {
  catchmentId?: string | null;
  indigenousProvider?: boolean | null;
  francophoneProvider?: boolean | null;
}

/** Reads the provider directory: organizations and their sites (no funding here). */
export class ServiceProviderService {
  constructor(private readonly providers: ServiceProviderModel) {}

  async findByIds(ids: readonly string[]): Promise<ServiceProviderDoc[]> {
    return findWhereIn<ServiceProviderDoc>(this.providers, '_id', ids);
  }

  async findByCatchmentIds(catchmentIds: readonly string[]): Promise<ServiceProviderDoc[]> {
    return findWhereIn<ServiceProviderDoc>(this.providers, 'catchmentIds', catchmentIds, { sortBy: '_id' });
  }

  async list(filter: ServiceProviderFilter, page: PageArgs): Promise<Connection<ServiceProviderDoc>> {
    const query: Record<string, unknown>[] = [];
    if (filter.catchmentId) query.push({ catchmentIds: filter.catchmentId });
    if (typeof filter.indigenousProvider === 'boolean')
      query.push({ indigenousProvider: filter.indigenousProvider });
    if (typeof filter.francophoneProvider === 'boolean')
      query.push({ francophoneProvider: filter.francophoneProvider });
    return findPageById(this.providers, query, page);
  }
}
