import { randomUUID } from 'node:crypto';
import { PRINCIPAL_HEADER, PUBLIC_PRINCIPAL, signPrincipalHeader } from '@ies/auth';
import type { Logger } from '@ies/logger';

/** Where and how this service reads another subgraph's public data. */
export interface Upstream {
  contractsUrl: string;
  internalSecret: string;
  logger: Logger;
  fetchTimeoutMs?: number;
}

/** One GraphQL query to the contracts subgraph as PUBLIC, signed with the internal secret. */
export async function contractsQuery<T>(
  upstream: Upstream,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const requestId = randomUUID();
  const response = await fetch(upstream.contractsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-request-id': requestId,
      [PRINCIPAL_HEADER]: signPrincipalHeader(PUBLIC_PRINCIPAL, requestId, upstream.internalSecret),
    },
    body: JSON.stringify({ query, variables }),
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
