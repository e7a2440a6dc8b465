import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { Redis } from 'ioredis';
import { AuthError, type Principal } from '@ies/auth';
import { ErrorCode } from '@ies/errors';
import type { Logger } from '@ies/logger';

/** Where the board is served. */
export const QUEUE_BOARD_PATH = '/ops/queues';
/** The browser sign-in: a form taking a ministry token, which it keeps in a cookie for the board. */
export const QUEUE_BOARD_SIGN_IN = `${QUEUE_BOARD_PATH}/sign-in`;
export const QUEUE_BOARD_SIGN_OUT = `${QUEUE_BOARD_PATH}/sign-out`;
/** The cookie holding the token: HttpOnly, Secure, SameSite=Strict, sent to the board's path only. */
export const QUEUE_BOARD_COOKIE = 'ies_queue_board';
/** Longest a sign-in lasts (shorter when the token expires sooner). */
const SESSION_MAX_SECONDS = 8 * 3600;
/** Longest token kept in the cookie (browsers drop cookies over about 4 KB). */
const MAX_COOKIE_TOKEN = 3_800;

export interface QueueBoardOptions {
  /** The gateway's JWT verifier. */
  verify(token: string): Promise<Principal>;
  redisUrl: string;
  /** The platform's BullMQ prefix (`QUEUE_PREFIX`). */
  prefix: string;
  /** Every queue of the platform (the service registry's `PLATFORM_QUEUES`). */
  queues: readonly string[];
  logger: Logger;
}

const refuse = (res: Response, status: number, code: string, message: string) =>
  res.status(status).json({ errors: [{ message, extensions: { code } }] });

/** The board's cookie from a `Cookie` header, or null. */
function boardCookie(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== QUEUE_BOARD_COOKIE || value.length === 0) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return null; // not one we set: as if there were none (401)
    }
  }
  return null;
}

/** Seconds until a verified token's `exp`. */
function secondsLeft(token: string): number {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof claims.exp === 'number' ? Math.floor(claims.exp - Date.now() / 1000) : 0;
  } catch {
    return 0;
  }
}

const cookie = (value: string, maxAgeSeconds: number) =>
  `${QUEUE_BOARD_COOKIE}=${encodeURIComponent(value)}; Max-Age=${maxAgeSeconds}; Path=${QUEUE_BOARD_PATH}; HttpOnly; Secure; SameSite=Strict`;

/**
 * Whether a request that acts through the cookie comes from the gateway's own pages: a browser says
 * where a request comes from (`Sec-Fetch-Site`, or, in older browsers, `Origin`); one from another
 * origin (another port or subdomain of the same site, which SameSite=Strict does not stop) is
 * refused. A request with neither header (curl, a script) is not a browser's cross-origin request.
 */
function fromOwnPages(req: Request): boolean {
  // Browsers send Sec-Fetch-Site (pages cannot set it); it holds behind a proxy that rewrites Host.
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Ministry only: a bearer token the gateway's verifier accepts, of role MINISTRY, in the
 * `Authorization` header or (a browser signed in at `/ops/queues/sign-in`) the board's cookie. No
 * token or a bad one is 401, another role 403, both as JSON; the board is never served to them.
 */
function ministryOnly(options: QueueBoardOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const [scheme, bearer] = (req.headers.authorization ?? '').split(' ');
    const fromHeader = scheme?.toLowerCase() === 'bearer' && bearer ? bearer : null;
    const token = fromHeader ?? boardCookie(req.headers.cookie);
    if (!fromHeader && token && !SAFE_METHODS.has(req.method) && !fromOwnPages(req)) {
      refuse(res, 403, ErrorCode.FORBIDDEN, 'The queue board acts only for its own pages');
      return;
    }
    if (!token) {
      refuse(
        res,
        401,
        ErrorCode.UNAUTHENTICATED,
        `Authorization must be "Bearer <token>"; in a browser, sign in at ${QUEUE_BOARD_SIGN_IN}`,
      );
      return;
    }
    asMinistry(options, token, res, next, 'queue board refused', () => next());
  };
}

/**
 * Verifies `token` and runs `then` with its MINISTRY principal; any other role is 403 (logged with
 * `refusal`), a token the verifier refuses 401, both as JSON; another failure goes to `next`.
 */
function asMinistry(
  options: QueueBoardOptions,
  token: string,
  res: Response,
  next: NextFunction,
  refusal: string,
  then: (principal: Principal) => void,
): void {
  options.verify(token).then(
    (principal) => {
      if (principal.role !== 'MINISTRY') {
        options.logger.warn({ role: principal.role, subject: principal.subject }, refusal);
        refuse(res, 403, ErrorCode.FORBIDDEN, 'The queue board is for the ministry only');
        return;
      }
      then(principal);
    },
    (error: unknown) => {
      if (error instanceof AuthError) refuse(res, 401, ErrorCode.UNAUTHENTICATED, error.message);
      else next(error);
    },
  );
}

/**
 * Bull Board over every queue of the platform, mounted on the gateway at `/ops/queues` behind
 * `ministryOnly`. Its Redis connection opens at the first authorized request (a gateway without Redis
 * serves GraphQL as before).
 */
export function mountQueueBoard(app: Express, options: QueueBoardOptions): { close(): Promise<void> } {
  let board: { router: RequestHandler; close(): Promise<void> } | null = null;
  const open = () => {
    const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (error) => options.logger.warn({ reason: error.message }, 'queue board: Redis'));
    const queues = options.queues.map((name) => new Queue(name, { connection, prefix: options.prefix }));
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })),
      serverAdapter,
    });
    return {
      router: serverAdapter.getRouter() as RequestHandler,
      close: async () => {
        await Promise.all(queues.map((queue) => queue.close()));
        connection.disconnect();
      },
    };
  };
  // Never framed (a same-site page could frame the board with the cookie).
  app.use(QUEUE_BOARD_PATH, (_req, res, next) => {
    res.set({ 'Content-Security-Policy': "frame-ancestors 'none'", 'X-Frame-Options': 'DENY' });
    next();
  });
  mountSignIn(app, options);
  app.use(QUEUE_BOARD_PATH, ministryOnly(options), (req, res, next) => {
    board ??= open();
    board.router(req, res, next);
  });
  return { close: async () => board?.close() };
}

const SIGN_IN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Queue board: sign in</title></head>
<body>
<h1>Queue board</h1>
<p>For the ministry. Paste a ministry token; it is kept in a cookie for this board only, until the
token expires (at most 8 hours) or you sign out.</p>
<form method="post" action="${QUEUE_BOARD_SIGN_IN}">
<label>Token <input type="password" name="token" autocomplete="off" required></label>
<button type="submit">Sign in</button>
</form>
<form method="post" action="${QUEUE_BOARD_SIGN_OUT}"><button type="submit">Sign out</button></form>
</body></html>
`;

/**
 * The browser's way in (the board's page calls its API without an `Authorization` header): a form
 * that takes a ministry token and keeps it in an HttpOnly, Secure, SameSite=Strict cookie for the
 * board's path, as long as the token lives (at most 8 h). Anything but a verified ministry token sets
 * nothing (401 or 403 JSON, as for the board). SameSite=Strict keeps other sites' pages from using it.
 */
function mountSignIn(app: Express, options: QueueBoardOptions): void {
  app.get(QUEUE_BOARD_SIGN_IN, (_req, res) => {
    res.type('html').set('Cache-Control', 'no-store').send(SIGN_IN_PAGE);
  });
  app.post(QUEUE_BOARD_SIGN_IN, express.urlencoded({ extended: false, limit: '16kb' }), (req, res, next) => {
    if (!fromOwnPages(req)) {
      refuse(res, 403, ErrorCode.FORBIDDEN, 'Sign in from the queue board’s own page');
      return;
    }
    const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    if (!token) {
      refuse(res, 401, ErrorCode.UNAUTHENTICATED, 'Send the form field token=<ministry token>');
      return;
    }
    if (token.length > MAX_COOKIE_TOKEN) {
      refuse(
        res,
        400,
        ErrorCode.BAD_REQUEST,
        `A token over ${MAX_COOKIE_TOKEN} characters does not fit a cookie`,
      );
      return;
    }
    asMinistry(options, token, res, next, 'queue board sign-in refused', (principal) => {
      // The cookie ends with the token (the verifier required its `exp`), at most after 8 hours.
      const maxAge = Math.max(0, Math.min(SESSION_MAX_SECONDS, secondsLeft(token)));
      options.logger.info({ subject: principal.subject }, 'queue board: signed in');
      res
        .set({ 'Set-Cookie': cookie(token, maxAge), 'Cache-Control': 'no-store' })
        .redirect(303, `${QUEUE_BOARD_PATH}/`);
    });
  });
  app.post(QUEUE_BOARD_SIGN_OUT, (req, res) => {
    if (!fromOwnPages(req)) {
      refuse(res, 403, ErrorCode.FORBIDDEN, 'Sign out from the queue board’s own page');
      return;
    }
    res.set({ 'Set-Cookie': cookie('', 0), 'Cache-Control': 'no-store' }).redirect(303, QUEUE_BOARD_SIGN_IN);
  });
}
