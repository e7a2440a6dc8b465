import { randomUUID } from 'node:crypto';
import { PRINCIPAL_HEADER, PUBLIC_PRINCIPAL, signPrincipalHeader } from '@ies/auth';
import { isIsoDate } from '@ies/calendar';
import { isDuplicateKeyError } from '@ies/db';
import type { Logger } from '@ies/logger';
import type { CatchmentPeriodDoc, CatchmentPeriodModel } from './catchment-period.model';

const QUERY = `query CatchmentPeriodSync($after: String) {
  catchmentAreas(first: 100, after: $after) {
    edges { node { id version planningStartDate transitionStartDate iesDeliveryStartDate serviceSystemManager { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface CatchmentNode {
  id: string;
  version: number;
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

/** On-demand syncs (for unknown catchments) start at most this often. */
export const ON_DEMAND_MIN_INTERVAL_MS = 30_000;

const date = (value: unknown): string | null => (isIsoDate(value) ? value : null);

function replicate(node: CatchmentNode): Replicated {
  const fields = {
    planningStartDate: date(node.planningStartDate),
    transitionStartDate: date(node.transitionStartDate),
    iesDeliveryStartDate: date(node.iesDeliveryStartDate),
    ssmId: node.serviceSystemManager?.id ?? null,
  };
  return { _id: node.id, ...fields, sourceVersion: node.version };
}

/**
 * Copies every catchment's period dates and SSM from the catchments subgraph (over HTTP, as PUBLIC,
 * signed with the internal secret) into the `catchment_periods` read model. A row is replaced only by
 * a copy of the same or a newer catchment `version`, so overlapping syncs (from any replica, whatever
 * its clock) never go backwards.
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
    const nodes = await this.fetchAll();
    const syncedAt = new Date();
    const rows = nodes
      .filter((n) => typeof n.id === 'string' && n.id.length > 0 && Number.isInteger(n.version))
      .map(replicate);
    const existing = new Map(
      (
        await this.options.model
          .find({ _id: { $in: rows.map((r) => r._id) } }, { sourceVersion: 1 })
          .lean<Pick<CatchmentPeriodDoc, '_id' | 'sourceVersion'>[]>()
      ).map((r) => [r._id, r.sourceVersion]),
    );
    await Promise.all(rows.map((row) => this.write(row, syncedAt)));
    const changed = rows.filter((r) => existing.get(r._id) !== r.sourceVersion).length;
    this.options.logger.info({ fetched: rows.length, changed }, 'catchment periods synchronized');
    return { fetched: rows.length, changed };
  }

  private async write(row: Replicated, syncedAt: Date): Promise<void> {
    const { _id, ...fields } = row;
    try {
      await this.options.model.updateOne(
        { _id, sourceVersion: { $lte: row.sourceVersion } },
        { $set: { ...fields, syncedAt } },
        { upsert: true },
      );
    } catch (error) {
      // The row holds a newer version already (the upsert collided with it): the newer copy stays.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  private inFlight: Promise<SyncResult> | null = null;
  private lastOnDemand = 0;

  /**
   * A sync on behalf of a request: joins one already running, and starts a new one at most every
   * `minIntervalMs`, so requests naming unknown catchments cannot multiply load on either service.
   */
  async syncOnDemand(minIntervalMs = ON_DEMAND_MIN_INTERVAL_MS): Promise<void> {
    if (!this.inFlight) {
      if (Date.now() - this.lastOnDemand < minIntervalMs) return;
      this.lastOnDemand = Date.now();
      this.inFlight = this.syncAll().finally(() => {
        this.inFlight = null;
      });
    }
    await this.inFlight;
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
