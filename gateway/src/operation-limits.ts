import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues } from 'graphql';
import type { Role } from '@ies/auth';
import { ErrorCode, operationLimitExceeded } from '@ies/errors';
import type { GatewayContext } from './gateway-context';
import { measureOperation, type MeasureOptions, type OperationMeasure } from './operation-measure';

/** The gateway's limits on what one operation may ask for. */
export interface OperationLimits extends MeasureOptions {
  maxAliases: number;
  maxRootFields: number;
  /** Highest cost each role may ask for (see `measureOperation`). */
  maxCost: Record<Role, number>;
}

/** The first limit a measured operation is over, as the error to answer with; null when within all. */
export function limitExceeded(measure: OperationMeasure, role: Role, limits: OperationLimits) {
  if (measure.aliases > limits.maxAliases) {
    return operationLimitExceeded(
      ErrorCode.TOO_MANY_ALIASES,
      `Operation has ${measure.aliases} aliased fields; the limit is ${limits.maxAliases}`,
      { limit: limits.maxAliases, actual: measure.aliases },
    );
  }
  if (measure.rootFields > limits.maxRootFields) {
    return operationLimitExceeded(
      ErrorCode.TOO_MANY_ROOT_FIELDS,
      `Operation selects ${measure.rootFields} root fields; the limit is ${limits.maxRootFields}`,
      { limit: limits.maxRootFields, actual: measure.rootFields },
    );
  }
  const maxCost = limits.maxCost[role];
  if (measure.cost > maxCost) {
    return operationLimitExceeded(
      ErrorCode.OPERATION_TOO_COSTLY,
      `Operation costs ${measure.cost}; the limit for ${role} callers is ${maxCost}`,
      { limit: maxCost, actual: measure.cost },
    );
  }
  return null;
}

/**
 * Refuses, before any subgraph is called, an operation over the root-field, alias or cost limit. It runs
 * once the operation is resolved, when the caller's role (from the context) and the variables (a page
 * size may be `first: $n`) are both known; the token limit is the parser's (`parseOptions.maxTokens`).
 */
export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request, contextValue }) {
          if (!operation) return;
          // Variables as execution will see them (defaults applied); values that do not coerce fail there.
          const coerced = getVariableValues(
            schema,
            operation.variableDefinitions ?? [],
            request.variables ?? {},
          );
          const variables = coerced.coerced ?? request.variables ?? {};
          const measure = measureOperation(document, operation, schema, variables, limits);
          const refusal = limitExceeded(measure, contextValue.principal.role, limits);
          if (refusal) {
            contextValue.logger.warn(
              { ...measure, role: contextValue.principal.role },
              'operation over a limit',
            );
            throw refusal;
          }
        },
      };
    },
  };
}
