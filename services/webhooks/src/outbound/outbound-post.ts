import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './outbound-policy';

/** Bytes of a response body read at most; the connection is dropped past them. */
export const RESPONSE_READ_LIMIT = 4096;

export type PostOutcome =
  | { kind: 'response'; status: number; body: string; latencyMs: number }
  | { kind: 'error'; message: string; latencyMs: number };

/**
 * POSTs a body to a checked target: connects to the address that was checked (the URL's host is
 * still sent as Host and TLS server name, and the certificate is verified against it), follows no
 * redirect (a 3xx is an answer like any other), reads at most RESPONSE_READ_LIMIT bytes of the
 * response and then drops the connection, and gives up after `timeoutMs` in total.
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
    const request = send(
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
        agent: false,
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          finish({
            kind: 'response',
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, RESPONSE_READ_LIMIT).toString('utf8'),
            latencyMs: elapsed(),
          });
          response.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_READ_LIMIT) done();
        });
        response.on('end', done);
        response.on('error', done);
        response.on('close', done);
      },
    );
    const timer = setTimeout(() => {
      finish({ kind: 'error', message: `no answer within ${timeoutMs} ms`, latencyMs: elapsed() });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) => finish({ kind: 'error', message: error.message, latencyMs: elapsed() }));
    request.end(body);
  });
}
