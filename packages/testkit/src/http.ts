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
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return postJson<T>(url, JSON.stringify({ query, variables: options.variables ?? {} }), headers);
}

/** POSTs a JSON body and reads the GraphQL answer (a non-JSON answer becomes an error entry). */
async function postJson<T>(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal,
  });
  const text = await response.text();
  let parsed: GraphQLResponse<T>['body'];
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { errors: [{ message: `non-JSON response: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/**
 * Calls a subgraph directly, as the gateway would: with a principal header signed by the shared secret
 * for that subgraph (`audience`) and this request's body.
 */
export async function subgraphRequest<T = Record<string, any>>(
  url: string,
  query: string,
  options: {
    principal: Principal;
    secret: string;
    /** The subgraph's name (`catchments`, `contracts`…): the header is signed for it. */
    audience: string;
    variables?: Record<string, unknown>;
    requestId?: string;
    /** When the caller stops waiting (epoch ms), signed in the header as the gateway does. */
    deadline?: number;
    /** Aborts the request (the caller going away). */
    signal?: AbortSignal;
  },
): Promise<GraphQLResponse<T>> {
  const requestId = options.requestId ?? crypto.randomUUID();
  const body = JSON.stringify({ query, variables: options.variables ?? {} });
  return postJson<T>(
    url,
    body,
    {
      [PRINCIPAL_HEADER]: signPrincipalHeader(
        {
          principal: options.principal,
          requestId,
          audience: options.audience,
          body,
          deadline: options.deadline,
        },
        options.secret,
      ),
      'x-request-id': requestId,
    },
    options.signal,
  );
}

/** A principal for direct subgraph calls in service-level tests. */
export const principalOf = (role: Role, scope: Partial<Omit<Principal, 'role'>> = {}): Principal => ({
  subject: scope.subject ?? `test-${role.toLowerCase()}`,
  role,
  catchmentIds: scope.catchmentIds ?? [],
  providerIds: scope.providerIds ?? [],
  partnerId: scope.partnerId ?? null,
});
