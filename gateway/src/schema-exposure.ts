import type { GatewayConfig } from './config';

/** How much of the schema the gateway shows callers: through introspection, and in validation errors. */
export interface SchemaExposure {
  /** `__schema` and `__type` answered (ApolloServer's `introspection`). */
  introspection: boolean;
  /** Validation errors without "Did you mean …?" (ApolloServer's `hideSchemaDetailsFromClientErrors`). */
  hideSchemaDetailsFromClientErrors: boolean;
}

/**
 * Introspection as configured (`INTROSPECTION`). Where the schema is not meant to be read by callers,
 * introspection off or only trusted documents accepted (`TRUSTED_DOCUMENTS=require`), validation errors
 * do not suggest field, argument or type names either: a refused caller could otherwise enumerate the
 * schema one misspelling at a time.
 */
export function schemaExposure(config: Pick<GatewayConfig, 'schema' | 'trustedDocuments'>): SchemaExposure {
  const introspection = config.schema.INTROSPECTION;
  return {
    introspection,
    hideSchemaDetailsFromClientErrors:
      !introspection || config.trustedDocuments.TRUSTED_DOCUMENTS === 'require',
  };
}
