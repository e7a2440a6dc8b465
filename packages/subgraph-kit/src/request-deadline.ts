import type { ApolloServerPlugin } from '@apollo/server';
import type { Response } from 'express';
import type { Deadline } from '@ies/db';
import { deadlineExceeded } from '@ies/errors';
import type { SubgraphContext } from './context';

/** When a request's work must stop: its deadline, or its caller going away, whichever comes first. */
export interface RequestDeadline extends Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Aborted when the caller (the gateway) closes the connection before the answer is sent. */
  readonly signal: AbortSignal;
  passed(): boolean;
  /** Throws DEADLINE_EXCEEDED once the deadline has passed or the caller has gone. */
  check(): void;
}

export interface DeadlineOptions {
  /**
   * Longest a request may run, from its arrival, whatever deadline it carries (a request signed
   * without one gets this). Default 120 s, the gateway's longest subgraph timeout.
   */
  maxMs?: number;
  /** The clock, in epoch milliseconds (tests). */
  clock?: () => number;
}

export const DEFAULT_MAX_REQUEST_MS = 120_000;

/**
 * The deadline of one request: the one the gateway signed, capped at `maxMs` after arrival. The
 * request's work stops at the next check once it passes or once the response's connection closes
 * before the answer was written (the gateway gave up or its own caller went away).
 */
export function requestDeadline(
  signed: number | null,
  res: Response,
  options: DeadlineOptions = {},
): RequestDeadline {
  const clock = options.clock ?? Date.now;
  const at = Math.min(
    signed ?? Number.POSITIVE_INFINITY,
    clock() + (options.maxMs ?? DEFAULT_MAX_REQUEST_MS),
  );
  const callerGone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) callerGone.abort();
  });
  const remainingMs = () => (callerGone.signal.aborted ? 0 : at - clock());
  return {
    at,
    signal: callerGone.signal,
    remainingMs,
    passed: () => remainingMs() <= 0,
    check() {
      if (remainingMs() > 0) return;
      throw deadlineExceeded(
        callerGone.signal.aborted
          ? 'The caller went away before the work was done'
          : 'The request deadline passed before the work was done',
      );
    },
  };
}

/**
 * Stops work nobody waits for: a request whose deadline has passed when its operation is resolved is
 * refused (504 DEADLINE_EXCEEDED, no resolver runs), and once it passes during execution every field
 * not yet started fails with DEADLINE_EXCEEDED instead of running its resolver. Abandoned work is
 * logged with how many fields were resolved and how many were not.
 */
export function deadlinePlugin<C extends SubgraphContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      let resolved = 0;
      let abandoned = 0;
      return {
        async didResolveOperation({ contextValue }) {
          if (contextValue.deadline.passed()) {
            contextValue.logger.warn(
              { callerGone: contextValue.deadline.signal.aborted },
              'refused a request whose deadline had passed',
            );
            throw deadlineExceeded(undefined, 504);
          }
        },
        async executionDidStart() {
          return {
            willResolveField({ contextValue }) {
              try {
                contextValue.deadline.check();
              } catch (error) {
                abandoned += 1;
                throw error;
              }
              resolved += 1;
            },
          };
        },
        async willSendResponse({ contextValue }) {
          if (abandoned === 0) return;
          contextValue.logger.warn(
            {
              resolvedFields: resolved,
              abandonedFields: abandoned,
              callerGone: contextValue.deadline.signal.aborted,
            },
            'abandoned work past its deadline',
          );
        },
      };
    },
  };
}
