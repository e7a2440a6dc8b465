import { createHash, randomUUID } from 'node:crypto';
import { PRINCIPAL_HEADER, PUBLIC_PRINCIPAL, signPrincipalHeader } from '@ies/auth';
import { isIsoDate } from '@ies/calendar';
import { isDuplicateKeyError } from '@ies/db';
import type { Logger } from '@ies/logger';
import type { CatchmentPeriodDoc, CatchmentPeriodModel } from './catchment-period.model';

const QUERY = `query CatchmentPeriodSync($after: String) {
  catchmentAreas(first: 100, after: $after) {
    edges { node { id planningStartDate transitionStartDate iesDeliveryStartDate serviceSystemManager { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface CatchmentNode {
  id: string;
  planningStartDate: string | null;
  transitionStartDate: string | null;
  iesDeliveryStartDate: string | null;
  serviceSystemManager: { id: string } | null;
}

export interface SyncResult {
  fetched: number;
  changed: number;
}

type Replicated = Omit<CatchmentPeriodDoc, 'syncedAt'>;

const date = (value: unknown): string | null => (isIsoDate(value) ? value : null);

function replicate(node: CatchmentNode): Replicated {
  const fields = {
    planningStartDate: date(node.planningStartDate),
    transitionStartDate: date(node.transitionStartDate),
    iesDeliveryStartDate: date(node.iesDeliveryStartDate),
    ssmId: node.serviceSystemManager?.id ?? null,
  };
  const sourceVersion = createHash('sha256')
    .update(JSON.stringify([node.id, fields]))
    .digest('hex')
    .slice(0, 16);
  return { _id: node.id, ...fields, sourceVersion };
}

/**
 * Copies every catchment's period dates and SSM from the catchments subgraph (over HTTP, as PUBLIC,
 * signed with the internal secret) into the `catchment_periods` read model. Each row is replaced only
 * by a fetch that started later than the one that wrote it, so overlapping syncs never go backwards.
 */
export class CatchmentPeriodSync {
  constructor(
    private readonly options: {
      model: CatchmentPeriodModel;
      catchmentsUrl: string;
      internalSecret: string;
      logger: Logger;
      fetchTimeoutMs?: number;
    },
  ) {}

  async syncAll(): Promise<SyncResult> {
    const fetchedAt = new Date();
    const nodes = await this.fetchAll();
    const rows = nodes.filter((n) => typeof n.id === 'string' && n.id.length > 0).map(replicate);
    const existing = new Map(
      (
        await this.options.model
          .find({ _id: { $in: rows.map((r) => r._id) } }, { sourceVersion: 1 })
          .lean<Pick<CatchmentPeriodDoc, '_id' | 'sourceVersion'>[]>()
      ).map((r) => [r._id, r.sourceVersion]),
    );
    await Promise.all(rows.map((row) => this.write(row, fetchedAt)));
    const changed = rows.filter((r) => existing.get(r._id) !== r.sourceVersion).length;
    this.options.logger.info({ fetched: rows.length, changed }, 'catchment periods synchronized');
    return { fetched: rows.length, changed };
  }

  private async write(row: Replicated, fetchedAt: Date): Promise<void> {
    const { _id, ...fields } = row;
    try {
      await this.options.model.updateOne(
        { _id, syncedAt: { $lt: fetchedAt } },
        { $set: { ...fields, syncedAt: fetchedAt } },
        { upsert: true },
      );
    } catch (error) {
      // The row exists with a fetch at least as recent as ours: the newer copy stays.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  private async fetchAll(): Promise<CatchmentNode[]> {
    const nodes: CatchmentNode[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const data: {
        catchmentAreas: {
          edges: { node: CatchmentNode }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      } = await this.request({ after });
      nodes.push(...data.catchmentAreas.edges.map((e) => e.node));
      if (!data.catchmentAreas.pageInfo.hasNextPage) break;
      after = data.catchmentAreas.pageInfo.endCursor;
    }
    return nodes;
  }

  private async request(variables: Record<string, unknown>) {
    const requestId = randomUUID();
    const response = await fetch(this.options.catchmentsUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        [PRINCIPAL_HEADER]: signPrincipalHeader(PUBLIC_PRINCIPAL, requestId, this.options.internalSecret),
      },
      body: JSON.stringify({ query: QUERY, variables }),
      signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 10_000),
    });
    const body = (await response.json().catch(() => null)) as {
      data?: unknown;
      errors?: { message: string }[];
    } | null;
    if (!response.ok || !body?.data || body.errors?.length) {
      throw new Error(
        `catchments subgraph answered ${response.status}: ${body?.errors?.map((e) => e.message).join('; ') ?? 'no GraphQL body'}`,
      );
    }
    return body.data as never;
  }
}
