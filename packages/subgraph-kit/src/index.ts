export { ErrorCode, badUserInput, conflict, forbidden, notFound, unauthenticated } from './errors';
export {
  createSubgraphServer,
  type InternalHeaderChecks,
  type SubgraphServer,
  type SubgraphServerOptions,
} from './create-subgraph-server';
export type { SubgraphContext } from './context';
export {
  DEFAULT_MAX_REQUEST_MS,
  deadlinePlugin,
  requestDeadline,
  type DeadlineOptions,
  type RequestDeadline,
} from './request-deadline';
export {
  allOf,
  connectionFrom,
  findPageById,
  MAX_PAGE_SIZE,
  parsePageArgs,
  type Connection,
  type PageArgs,
} from './pagination';
export { MAX_REASON_LENGTH, refuseUnlessMinistry, validateReason, validateText } from './access';
export { hasForbiddenCharacters, type TextKind } from './text-input';
export { loaderById, loaderGroupedBy, loaderOfLists } from './loaders';
export { mutationError, type MutationError, type MutationErrorCode } from './mutation-error';
export { loadTypeDefs } from './type-defs';
export { DateScalar, DateTimeScalar } from './scalars';
export { listenOn, requestLogPlugin, withShutdown, type ServerHandle } from '@ies/http-kit';
