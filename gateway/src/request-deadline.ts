import { setMaxListeners } from 'node:events';
import type { Response } from 'express';

/** How long the gateway works on one caller's request, and whether that caller is still there. */
export interface GatewayDeadline {
  /** Epoch milliseconds after which no subgraph is asked anything more for this request. */
  deadline: number;
  /** Aborted when the caller closes the connection before the answer is sent. */
  signal: AbortSignal;
}

/**
 * The deadline of one request to the gateway: `timeoutMs` from now, or earlier if the caller goes
 * away. Every subgraph fetch made for it ends by this deadline, and tells the subgraph so.
 */
export function gatewayDeadline(res: Response, timeoutMs: number, now = Date.now()): GatewayDeadline {
  const callerGone = new AbortController();
  // Each subgraph fetch of the request listens for the caller going away, and a wide plan makes more
  // than Node's default of 10 (each listener is removed when its fetch ends).
  setMaxListeners(0, callerGone.signal);
  res.once('close', () => {
    if (!res.writableFinished) callerGone.abort();
  });
  return { deadline: now + timeoutMs, signal: callerGone.signal };
}

/**
 * The deadline of one subgraph fetch: its own timeout from now, never later than the request's
 * deadline. Null when the request's deadline has already passed: the fetch is not sent.
 */
export function fetchDeadline(now: number, timeoutMs: number, requestDeadline: number): number | null {
  const deadline = Math.min(now + timeoutMs, requestDeadline);
  return deadline > now ? deadline : null;
}

/** The most a subgraph is told to stop before the gateway stops waiting for it. */
export const ANSWER_MARGIN_MS = 250;

/**
 * The deadline signed for a subgraph: a margin before the instant the gateway aborts the fetch (250 ms,
 * or a tenth of the time the fetch has, whichever is smaller), so that a subgraph which stops at its
 * deadline still has time to send its partial answer (fields with DEADLINE_EXCEEDED) and the gateway
 * to receive it, instead of aborting first and answering SUBGRAPH_UNAVAILABLE.
 */
export function signedDeadline(now: number, abortAt: number): number {
  const margin = Math.min(ANSWER_MARGIN_MS, Math.floor((abortAt - now) / 10));
  return abortAt - Math.max(0, margin);
}
