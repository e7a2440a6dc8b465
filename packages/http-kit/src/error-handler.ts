import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { ErrorCode } from '@ies/errors';
import { REQUEST_ID_HEADER, requestLogger, resolveRequestId, type Logger } from '@ies/logger';

interface Refusal {
  status: number;
  code: ErrorCode;
  message: string;
}

/** What body-parser's errors (`status`, `type`) mean to a caller; anything else is our failure. */
function refusalFor(error: unknown): Refusal {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  if (status === 413) {
    return { status, code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'The request body is larger than allowed' };
  }
  if (status === 415) {
    return {
      status,
      code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      message: 'The request body’s charset or content encoding is not supported',
    };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      status,
      code: ErrorCode.BAD_REQUEST,
      message:
        type === 'entity.parse.failed'
          ? 'The request body must be a JSON object'
          : 'The request could not be read',
    };
  }
  return { status: 500, code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
}

function send(res: Response, { status, code, message }: Refusal) {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

function logFor(logger: Logger, req: Request, res: Response): Logger {
  const requestId: string =
    res.locals.requestId ?? resolveRequestId(req.headers[REQUEST_ID_HEADER] as string | undefined);
  if (!res.headersSent) res.setHeader(REQUEST_ID_HEADER, requestId);
  return requestLogger(logger, requestId);
}

/**
 * The last handler of every express app of ours: answers GraphQL JSON with a stable code and the right
 * status instead of express's HTML page (which holds a stack trace and file paths), and logs the
 * failure through the request's logger instead of printing it to stderr.
 */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const refusal = refusalFor(error);
    const log = logFor(logger, req, res);
    if (refusal.status >= 500) log.error({ err: error }, 'unexpected failure handling a request');
    else
      log.warn(
        { status: refusal.status, code: refusal.code, reason: (error as Error)?.message },
        'refused request',
      );
    if (res.headersSent) {
      // Part of an answer is out: all that is left is to cut it short.
      req.socket.destroy();
      return;
    }
    send(res, refusal);
  };
}

/**
 * Refuses a POST whose body no JSON parser read (a content type other than `application/json`) with
 * 415, before the GraphQL middleware would answer 500.
 */
export function requireJsonBody(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.body !== undefined) return next();
    logFor(logger, req, res).warn(
      { status: 415, code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, contentType: req.headers['content-type'] },
      'refused request',
    );
    send(res, {
      status: 415,
      code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      message: 'POST requests must have Content-Type: application/json',
    });
  };
}

/** Paths nobody serves: a 404 in the same shape as every other answer. */
export function notFoundHandler(): RequestHandler {
  return (_req: Request, res: Response) => {
    send(res, { status: 404, code: ErrorCode.NOT_FOUND, message: 'Not found' });
  };
}
