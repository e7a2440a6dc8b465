import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { Redis } from 'ioredis';
import { AuthError, type Principal } from '@ies/auth';
import { ErrorCode } from '@ies/errors';
import type { Logger } from '@ies/logger';

/** Where the board is served. */
export const QUEUE_BOARD_PATH = '/ops/queues';

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

/**
 * Ministry only: a bearer token the gateway's verifier accepts, of role MINISTRY. No token or a bad
 * one is 401, another role 403, both as JSON; the board is never served to them.
 */
function ministryOnly(options: QueueBoardOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      refuse(res, 401, ErrorCode.UNAUTHENTICATED, 'Authorization must be "Bearer <token>"');
      return;
    }
    options.verify(token).then(
      (principal) => {
        if (principal.role !== 'MINISTRY') {
          options.logger.warn({ role: principal.role, subject: principal.subject }, 'queue board refused');
          refuse(res, 403, ErrorCode.FORBIDDEN, 'The queue board is for the ministry only');
          return;
        }
        next();
      },
      (error: unknown) => {
        if (error instanceof AuthError) refuse(res, 401, ErrorCode.UNAUTHENTICATED, error.message);
        else next(error);
      },
    );
  };
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
  app.use(QUEUE_BOARD_PATH, ministryOnly(options), (req, res, next) => {
    board ??= open();
    board.router(req, res, next);
  });
  return { close: async () => board?.close() };
}
