import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** The standard headers, as `Webhook.verify` takes them. */
  standard: Record<string, string>;
}

/** What the receiver answers each request with (in order; the last one repeats). */
export type Answer = number | ((response: ServerResponse, request: Received) => void);

/**
 * A partner's receiver: a real HTTP server on port 0 that records every request and answers with a
 * scripted status. `next()` awaits the next request (no sleeping), `verify` checks one with the
 * reference `standardwebhooks` library.
 */
export async function startReceiver(answers: Answer[] = [204]) {
  const received: Received[] = [];
  const waiting: { count: number; resolve: (r: Received[]) => void }[] = [];
  const script = [...answers];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const header = (name: string) => String(request.headers[name] ?? '');
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        standard: {
          'webhook-id': header('webhook-id'),
          'webhook-timestamp': header('webhook-timestamp'),
          'webhook-signature': header('webhook-signature'),
        },
      });
      const answer = script.length > 1 ? script.shift()! : script[0]!;
      if (typeof answer === 'number') {
        response.statusCode = answer;
        response.end(answer >= 300 ? `refused with ${answer}` : 'ok');
      } else answer(response, received.at(-1)!);
      for (const waiter of [...waiting]) {
        if (received.length >= waiter.count) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve(received.slice(0, waiter.count));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Resolves once `count` requests in all have arrived. */
    requests(count: number): Promise<Received[]> {
      if (received.length >= count) return Promise.resolve(received.slice(0, count));
      return new Promise((resolve) => waiting.push({ count, resolve }));
    },
    /** Verifies a request with the reference library; throws when no secret verifies it. */
    verify(request: Received, secret: string): unknown {
      return new Webhook(secret).verify(request.body, request.standard);
    },
    /** Whether `secret` verifies the request. */
    verifies(request: Received, secret: string): boolean {
      try {
        new Webhook(secret).verify(request.body, request.standard);
        return true;
      } catch {
        return false;
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
