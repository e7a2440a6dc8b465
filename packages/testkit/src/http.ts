import { PRINCIPAL_HEADER, signPrincipalHeader, type Principal, type Role } from '@ies/auth';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

/** POSTs a GraphQL operation over real HTTP. */
export async function graphqlRequest<T = Record<string, any>>(
  url: string,
  query: string,
  options: { variables?: Record<string, unknown>; token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const text = await response.text();
  let body: GraphQLResponse<T>['body'];
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: `non-JSON response: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, headers: response.headers, body };
}

/** Calls a subgraph directly, as the gateway would: with a principal header signed by the shared secret. */
export async function subgraphRequest<T = Record<string, any>>(
  url: string,
  query: string,
  options: { principal: Principal; secret: string; variables?: Record<string, unknown>; requestId?: string },
): Promise<GraphQLResponse<T>> {
  const requestId = options.requestId ?? crypto.randomUUID();
  return graphqlRequest<T>(url, query, {
    variables: options.variables,
    headers: {
      [PRINCIPAL_HEADER]: signPrincipalHeader(options.principal, requestId, options.secret),
      'x-request-id': requestId,
    },
  });
}

/** A principal for direct subgraph calls in service-level tests. */
export const principalOf = (role: Role, scope: Partial<Omit<Principal, 'role'>> = {}): Principal => ({
  subject: scope.subject ?? `test-${role.toLowerCase()}`,
  role,
  catchmentIds: scope.catchmentIds ?? [],
  providerIds: scope.providerIds ?? [],
  partnerId: scope.partnerId ?? null,
});
