// The mutation-payload error lives in @ies/errors; kept here so existing imports keep compiling.
export { mutationError, type MutationError, type MutationErrorCode } from '@ies/errors';
