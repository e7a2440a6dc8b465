import { randomUUID } from 'node:crypto';
import { PRINCIPAL_HEADER, PUBLIC_PRINCIPAL, signPrincipalHeader } from '@ies/auth';
import { isIsoDate } from '@ies/calendar';
import { insertIfAbsent } from '@ies/db';
import type { Logger } from '@ies/logger';
import type { Connection } from 'mongoose';
import {
  catchmentCopyModel,
  copyId,
  type CatchmentCopyDoc,
  type CatchmentCopyModel,
} from './catchment-copy.model';
import { newestPeriods } from './catchment-periods';

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
  /** Catchments whose newest copy is a new version after this sync. */
  changed: number;
}

/** The subgraph the sync reads, the audience of the headers it signs. */
export const CATCHMENTS_SUBGRAPH = 'catchments';

/** On-demand syncs (for unknown catchments) start at most this often. */
export const ON_DEMAND_MIN_INTERVAL_MS = 30_000;

const date = (value: unknown): string | null => (isIsoDate(value) ? value : null);

const copyOf = (node: CatchmentNode, syncedAt: Date): CatchmentCopyDoc => ({
  _id: copyId(node.id, node.version),
  catchmentId: node.id,
  sourceVersion: node.version,
  planningStartDate: date(node.planningStartDate),
  transitionStartDate: date(node.transitionStartDate),
  iesDeliveryStartDate: date(node.iesDeliveryStartDate),
  ssmId: node.serviceSystemManager?.id ?? null,
  syncedAt,
});

/**
 * Copies every catchment's period dates and SSM from the catchments subgraph (over HTTP, as PUBLIC,
 * signed with the internal secret) into the service's `catchment_copies`. Copies are inserted by
 * (catchment, version) and never updated, so overlapping syncs from any replica cannot go backwards;
 * copies older than the newest are then removed (idempotent). Each request's principal header is
 * signed for the catchments subgraph and that request's body, as the gateway signs its own. Used by every service that needs
 * catchment periods (contracts today; clients and disputes next).
 */
export class CatchmentSync {
  constructor(
    private readonly options: {
      model: CatchmentCopyModel;
      catchmentsUrl: string;
      internalSecret: string;
      /** Lifetime of each principal header it signs (default `INTERNAL_HEADER_DEFAULTS.ttlMs`). */
      headerTtlMs?: number;
      logger: Logger;
      fetchTimeoutMs?: number;
      /** How often on-demand syncs may start (default `ON_DEMAND_MIN_INTERVAL_MS`). */
      onDemandMinIntervalMs?: number;
    },
  ) {}

  async syncAll(): Promise<SyncResult> {
    const nodes = (await this.fetchAll()).filter(
      (n) => typeof n.id === 'string' && n.id.length > 0 && Number.isInteger(n.version),
    );
    const model = this.options.model;
    const known = newestPeriods(await model.find({}).lean<CatchmentCopyDoc[]>());
    const fresh = nodes.filter((node) => (known.get(node.id)?.sourceVersion ?? -1) < node.version);
    await insertIfAbsent(
      model,
      fresh.map((node) => copyOf(node, new Date())),
    );
    for (const node of fresh) {
      if (known.has(node.id)) {
        await model.deleteMany({ catchmentId: node.id, sourceVersion: { $lt: node.version } });
      }
    }
    this.options.logger.info(
      { fetched: nodes.length, changed: fresh.length },
      'catchment periods synchronized',
    );
    return { fetched: nodes.length, changed: fresh.length };
  }

  private inFlight: Promise<SyncResult> | null = null;
  private lastOnDemand = 0;

  /**
   * A sync on behalf of a request: joins one already running, and starts a new one at most every
   * `minIntervalMs`, so requests naming unknown catchments cannot multiply load on either service.
   */
  async syncOnDemand(
    minIntervalMs = this.options.onDemandMinIntervalMs ?? ON_DEMAND_MIN_INTERVAL_MS,
  ): Promise<void> {
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
    const payload = JSON.stringify({ query: QUERY, variables });
    const response = await fetch(this.options.catchmentsUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        [PRINCIPAL_HEADER]: signPrincipalHeader(
          { principal: PUBLIC_PRINCIPAL, requestId, audience: CATCHMENTS_SUBGRAPH, body: payload },
          this.options.internalSecret,
          { ttlMs: this.options.headerTtlMs },
        ),
      },
      body: payload,
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

/** A service's sync of its copy (`catchment_copies` in its database) from the catchments subgraph. */
export function createCatchmentSync(deps: {
  connection: Connection;
  logger: Logger;
  internalSecret: string;
  /** Lifetime of the principal headers it signs (default `INTERNAL_HEADER_DEFAULTS.ttlMs`). */
  headerTtlMs?: number;
  catchmentsUrl: string;
  onDemandMinIntervalMs?: number;
}): CatchmentSync {
  return new CatchmentSync({
    onDemandMinIntervalMs: deps.onDemandMinIntervalMs,
    model: catchmentCopyModel(deps.connection),
    catchmentsUrl: deps.catchmentsUrl,
    internalSecret: deps.internalSecret,
    headerTtlMs: deps.headerTtlMs,
    logger: deps.logger.child({ module: 'catchment-period-sync' }),
  });
}
