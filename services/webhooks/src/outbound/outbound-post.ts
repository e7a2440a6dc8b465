import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './outbound-policy';

/** Bytes of a response body read at most; the connection is dropped past them. */
export const RESPONSE_READ_LIMIT = 4096;

export type PostOutcome =
  | { kind: 'response'; status: number; body: string; latencyMs: number }
  | { kind: 'error'; message: string; latencyMs: number };

/**
 * How long an idle connection to a target is kept for the next delivery: below the 5 s for which
 * most servers (Node's default among them) keep one, so ours is closed first.
 */
export const IDLE_CONNECTION_MS = 4_000;
/** Targets whose idle connections are kept at once (the least recently used is let go). */
export const KEPT_TARGETS = 256;
/** Idle connections kept per target. */
const IDLE_PER_TARGET = 8;

/**
 * Connection pools by checked target: scheme, checked address, port and host name (the TLS server
 * name and the certificate's subject). A pooled connection was opened to its key's address, which
 * the policy checked, so reusing it never reaches an address that was not checked; a host that now
 * resolves elsewhere gets a pool of its own.
 */
const pools = new Map<string, HttpAgent>();

function poolOf(target: CheckedTarget): HttpAgent {
  const { protocol, port, hostname } = target.url;
  const key = `${protocol}//${target.address}|${port}|${hostname}`;
  const pool = pools.get(key);
  if (pool) {
    pools.delete(key);
    pools.set(key, pool);
    return pool;
  }
  const options = {
    keepAlive: true,
    timeout: IDLE_CONNECTION_MS,
    maxFreeSockets: IDLE_PER_TARGET,
    scheduling: 'lifo' as const,
  };
  const created = protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
  pools.set(key, created);
  if (pools.size > KEPT_TARGETS) {
    // A pool let go keeps no idle connection: its requests under way finish, and their connections
    // are closed instead of kept.
    const [oldest, evicted] = pools.entries().next().value!;
    pools.delete(oldest);
    evicted.maxFreeSockets = 0;
    for (const sockets of Object.values(evicted.freeSockets)) sockets?.forEach((socket) => socket.destroy());
  }
  return created;
}

/**
 * A kept connection failed before any answer: usually the server closed it as idle just as it was
 * reused (the request never reached it), but a server that read the request and then reset looks the
 * same, so the request may have arrived (at least once: receivers take each `webhook-id` once).
 */
const closedWhileIdle = (request: ClientRequest, error: NodeJS.ErrnoException) =>
  request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');

/**
 * POSTs a body to a checked target: connects to the address that was checked (the URL's host is
 * still sent as Host and TLS server name, and the certificate is verified against it), follows no
 * redirect (a 3xx is an answer like any other), reads at most RESPONSE_READ_LIMIT bytes of the
 * response and then drops the connection, and gives up after `timeoutMs` in total. A connection whose
 * answer was read to its end is kept (IDLE_CONNECTION_MS) for the next delivery to the same target,
 * saving a TCP (and TLS) handshake per delivery. A request on a kept connection that fails before any
 * answer (the server closed it as idle just as it was reused) is sent once more, on a connection of
 * its own to the same checked address (never another kept one, which may be closed too).
 */
export function postTo(
  target: CheckedTarget,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    } else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    let request: ClientRequest;
    /** An answer began: the request reached the server, so it is never sent again. */
    let answered = false;
    const open = (retried: boolean) => {
      request = send(
        target.url,
        {
          method: 'POST',
          lookup: pinned,
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'ies-webhooks/1',
            ...headers,
          },
          agent: retried ? false : poolOf(target),
        },
        (response: IncomingMessage) => {
          answered = true;
          const chunks: Buffer[] = [];
          let size = 0;
          let read = false;
          const done = (keep: boolean) => {
            if (read) return;
            read = true;
            finish({
              kind: 'response',
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).subarray(0, RESPONSE_READ_LIMIT).toString('utf8'),
              latencyMs: elapsed(),
            });
            // Read to its end, the connection goes back to the pool; otherwise it is dropped.
            if (!keep) response.destroy();
          };
          response.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            if (size >= RESPONSE_READ_LIMIT) done(false);
          });
          response.on('end', () => done(true));
          response.on('error', () => done(false));
          response.on('close', () => done(false));
        },
      );
      const sent = request;
      sent.on('error', (error: NodeJS.ErrnoException) => {
        if (!retried && !answered && !settled && closedWhileIdle(sent, error)) return open(true);
        finish({ kind: 'error', message: error.message, latencyMs: elapsed() });
      });
      sent.end(body);
    };
    const timer = setTimeout(() => {
      finish({ kind: 'error', message: `no answer within ${timeoutMs} ms`, latencyMs: elapsed() });
      request.destroy();
    }, timeoutMs);
    open(false);
  });
}
