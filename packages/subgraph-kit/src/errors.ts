// The catalogue lives in @ies/errors; kept here so `@ies/subgraph-kit` imports keep compiling.
export { ErrorCode, badUserInput, conflict, forbidden, notFound, unauthenticated } from '@ies/errors';
