import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TappedRequest {
  headers: IncomingHttpHeaders;
  /** The body exactly as it crossed the wire. */
  body: string;
}

export interface Wiretap {
  /** Where the gateway is pointed instead of the subgraph. */
  url: string;
  /** Every operation (request other than a GET) that passed, oldest first. */
  requests: TappedRequest[];
  /** Sets where requests are forwarded (the real subgraph, known once it listens). */
  forwardTo(url: string): void;
  close(): Promise<void>;
}

const NOT_FORWARDED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * A transparent HTTP relay that records what the gateway sends a subgraph: what an attacker on the
 * internal network would capture. It forwards every request unchanged and answers with the subgraph's
 * answer; it records operations, not health checks.
 */
export async function startWiretap(): Promise<Wiretap> {
  let target: string | null = null;
  const requests: TappedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      // Operations only: the gateway's background health checks (GET /health/ready) pass unrecorded,
      // to the subgraph's own health endpoint.
      const operation = req.method !== 'GET';
      if (operation) requests.push({ headers: req.headers, body });
      if (!target) {
        res.writeHead(503).end();
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string' && !NOT_FORWARDED.has(entry[0]),
        ),
      );
      const to = operation ? target : new URL(req.url ?? '/', target).toString();
      fetch(to, { method: req.method, headers, body: req.method === 'POST' ? body : undefined })
        .then(async (answer) => {
          res.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'text/plain',
          });
          res.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests,
    forwardTo: (url) => {
      target = url;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
