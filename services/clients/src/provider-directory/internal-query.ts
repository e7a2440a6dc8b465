import { randomUUID } from 'node:crypto';
import { PRINCIPAL_HEADER, PUBLIC_PRINCIPAL, signPrincipalHeader } from '@ies/auth';
import type { Logger } from '@ies/logger';

/** The contracts subgraph's name: the audience of the headers signed for it. */
const CONTRACTS_SUBGRAPH = 'contracts';

/** Where and how this service reads another subgraph's public data. */
export interface Upstream {
  contractsUrl: string;
  internalSecret: string;
  logger: Logger;
  fetchTimeoutMs?: number;
  /** Lifetime of the principal headers it signs (default `INTERNAL_HEADER_DEFAULTS.ttlMs`). */
  headerTtlMs?: number;
}

/** One GraphQL query to the contracts subgraph as PUBLIC, signed with the internal secret. */
export async function contractsQuery<T>(
  upstream: Upstream,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const requestId = randomUUID();
  const payload = JSON.stringify({ query, variables });
  const response = await fetch(upstream.contractsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-request-id': requestId,
      [PRINCIPAL_HEADER]: signPrincipalHeader(
        { principal: PUBLIC_PRINCIPAL, requestId, audience: CONTRACTS_SUBGRAPH, body: payload },
        upstream.internalSecret,
        { ttlMs: upstream.headerTtlMs },
      ),
    },
    body: payload,
    signal: AbortSignal.timeout(upstream.fetchTimeoutMs ?? 10_000),
  });
  const body = (await response.json().catch(() => null)) as {
    data?: unknown;
    errors?: { message: string }[];
  } | null;
  if (!response.ok || !body?.data || body.errors?.length) {
    throw new Error(
      `contracts subgraph answered ${response.status}: ${body?.errors?.map((e) => e.message).join('; ') ?? 'no GraphQL body'}`,
    );
  }
  return body.data as T;
}
