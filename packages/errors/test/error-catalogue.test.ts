import {
  ErrorCode,
  badUserInput,
  isKnownErrorCode,
  mutationError,
  subgraphUnavailable,
  unauthenticated,
} from '../src';

describe('Error catalogue', () => {
  it('gives every thrown error a stable code from the catalogue', () => {
    expect(unauthenticated('no token').extensions).toEqual({
      code: 'UNAUTHENTICATED',
      http: { status: 401 },
    });
    expect(badUserInput('bad first', 'first').extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('names the subgraph the gateway could not reach', () => {
    const error = subgraphUnavailable('catchments', 'fetch failed');
    expect(error.message).toBe('The catchments service is unavailable: fetch failed');
    expect(error.extensions).toEqual({ code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: 'catchments' });
  });

  it('knows its own and Apollo codes, and nothing else', () => {
    expect(isKnownErrorCode('CONFLICT')).toBe(true);
    expect(isKnownErrorCode('GRAPHQL_VALIDATION_FAILED')).toBe(true);
    expect(isKnownErrorCode('ECONNREFUSED')).toBe(false);
  });

  it('names the refusals of an HTTP request the express error handler answers with', () => {
    for (const code of ['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']) {
      expect(ErrorCode[code as keyof typeof ErrorCode]).toBe(code);
      expect(isKnownErrorCode(code)).toBe(true);
    }
  });

  it('shapes expected mutation outcomes as payload data', () => {
    expect(mutationError('CONFLICT', 'taken')).toEqual({ code: 'CONFLICT', message: 'taken', field: null });
  });
});
