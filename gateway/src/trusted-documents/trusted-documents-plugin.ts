import type { ApolloServerPlugin } from '@apollo/server';
import type { Role } from '@ies/auth';
import { persistedQueryNotAllowed } from '@ies/errors';
import { BoundedCache } from '@ies/bounded-cache';
import type { GatewayContext } from '../gateway-context';
import type { TrustedDocuments } from './manifest';

/** `off`: any operation; `audit`: any, those outside the manifest logged; `require`: the manifest's only. */
export type TrustedDocumentsMode = 'off' | 'audit' | 'require';

/**
 * What happens to an operation: listed ones always run, and so does anything the ministry sends (its
 * tools keep arbitrary operations); the rest depends on the mode.
 */
export function trustedDocumentVerdict(
  mode: TrustedDocumentsMode,
  listed: boolean,
  role: Role,
): 'run' | 'log' | 'refuse' {
  if (listed || mode === 'off' || role === 'MINISTRY') return 'run';
  return mode === 'audit' ? 'log' : 'refuse';
}

/**
 * Applies the mode to every request once its operation is resolved: the hook where Apollo Server answers
 * a plugin's GraphQLError with its HTTP status (an error thrown before parsing becomes a 500), and before
 * anything runs or an APQ registration is stored. Apollo's `queryHash` is the SHA-256 of the source (or
 * the APQ id it was found by), which is the manifest's id.
 */
export function trustedDocumentsPlugin(
  documents: TrustedDocuments,
  mode: TrustedDocumentsMode,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      if (mode === 'off') return undefined;
      return {
        async didResolveOperation({ queryHash, request, contextValue }) {
          if (contextValue.subscriptionPayload) return;
          const verdict = trustedDocumentVerdict(mode, documents.has(queryHash), contextValue.principal.role);
          if (verdict === 'run') return;
          const detail = {
            operationName: request.operationName,
            queryHash,
            role: contextValue.principal.role,
          };
          if (verdict === 'log') {
            contextValue.logger.warn(detail, 'operation outside the trusted documents');
            return;
          }
          contextValue.logger.warn(detail, 'refused operation outside the trusted documents');
          throw persistedQueryNotAllowed();
        },
      };
    },
  };
}

const MIB = 1024 * 1024;
const APQ_PREFIX = 'apq:';

/**
 * The store behind Apollo's automatic persisted queries: manifest ids answer with their body (a client
 * may send `extensions.persistedQuery.sha256Hash` alone for any manifest operation, in every mode);
 * other registered queries live in a least-recently-used store of `mib` of text (Apollo's default
 * size), and a refused query is never registered.
 */
export function persistedQueryStore(documents: TrustedDocuments, mib = 30) {
  const registered = new BoundedCache<string>({ maxBytes: mib * MIB, sizeOf: (query) => query.length * 2 });
  const idOf = (key: string) => (key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key);
  return {
    async get(key: string): Promise<string | undefined> {
      return documents.bodyOf(idOf(key)) ?? registered.get(key);
    },
    async set(key: string, value: string): Promise<void> {
      if (!documents.has(idOf(key))) await registered.set(key, value);
    },
    async delete(key: string): Promise<boolean> {
      return registered.delete(key);
    },
  };
}
