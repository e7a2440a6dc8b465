import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SubgraphFetcher } from '../src/subgraph-fetcher';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface TestServer {
  url: string;
  /** Connections the server accepted, in total. */
  connections(): number;
  close(): Promise<void>;
}

/** A real HTTP server on a free port that reads each request's body, then calls `handle`. */
async function serve(handle: Handler): Promise<TestServer> {
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A promise and its resolver, for the server to say where it has got to. */
function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const post = (body: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' },
  body,
});

describe('The subgraph fetcher', () => {
  let server: TestServer | undefined;
  let fetcher: SubgraphFetcher;
  beforeEach(() => {
    fetcher = new SubgraphFetcher({ serviceName: 'catchments' });
  });
  afterEach(async () => {
    fetcher.destroy();
    await server?.close();
    server = undefined;
  });

  it('POSTs the body and headers it is given and reads a JSON answer', async () => {
    let seen: { method?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    server = await serve((req, res, body) => {
      seen = { method: req.method, headers: req.headers, body };
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'X-Trace': 'abc' });
      res.end(JSON.stringify({ data: { name: 'Québec' } }));
    });
    const body = JSON.stringify({ query: '{ name }', variables: { city: 'Montréal' } });
    const response = await fetcher.fetch(server.url, post(body), { timeoutMs: 30_000 });

    expect(seen).toEqual({
      method: 'POST',
      headers: expect.objectContaining({
        'content-type': 'application/json',
        'x-request-id': 'r-1',
        'content-length': String(Buffer.byteLength(body)),
      }),
      body,
    });
    expect(response).toMatchObject({ ok: true, status: 200, statusText: 'OK', url: server.url });
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('X-TRACE')).toBe('abc');
    expect(response.headers.get('x-missing')).toBeNull();
    expect(await response.json()).toEqual({ data: { name: 'Québec' } });
  });

  it('reads a 400 answer by text() and json()', async () => {
    const answer = { errors: [{ message: 'bad date', extensions: { code: 'BAD_USER_INPUT' } }] };
    server = await serve((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
    const response = await fetcher.fetch(server.url, post('{}'), { timeoutMs: 30_000 });
    expect(response).toMatchObject({ ok: false, status: 400, statusText: 'Bad Request' });
    expect(await response.text()).toBe(JSON.stringify(answer));
    expect(await response.json()).toEqual(answer);
  });

  it('keeps the connection for the next fetch', async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":{}}');
    });
    await (await fetcher.fetch(server.url, post('{}'), { timeoutMs: 30_000 })).json();
    await (await fetcher.fetch(server.url, post('{}'), { timeoutMs: 30_000 })).json();
    expect(server.connections()).toBe(1);
  });

  it('rejects at its deadline when the subgraph does not answer, and closes the connection', async () => {
    const closed = signal();
    server = await serve((req) => {
      req.socket.on('close', () => closed.resolve());
    });
    await expect(fetcher.fetch(server.url, post('{}'), { timeoutMs: 50 })).rejects.toThrow(
      expect.objectContaining({ name: 'TimeoutError', message: 'The operation was aborted due to timeout' }),
    );
    await closed.promise;
  });

  it('rejects when the caller goes away, and closes the connection', async () => {
    const received = signal();
    const closed = signal();
    server = await serve((req) => {
      req.socket.on('close', () => closed.resolve());
      received.resolve();
    });
    const caller = new AbortController();
    const fetched = fetcher.fetch(server.url, post('{}'), { timeoutMs: 30_000, signal: caller.signal });
    await received.promise;
    caller.abort();
    await expect(fetched).rejects.toThrow(
      expect.objectContaining({ name: 'AbortError', message: 'This operation was aborted' }),
    );
    await closed.promise;
  });

  it('does not call the subgraph for a caller already gone', async () => {
    server = await serve((_req, res) => res.end('{}'));
    await expect(
      fetcher.fetch(server.url, post('{}'), { timeoutMs: 30_000, signal: AbortSignal.abort() }),
    ).rejects.toThrow('This operation was aborted');
    expect(server.connections()).toBe(0);
  });

  it('rejects with `fetch failed` when the subgraph refuses the connection', async () => {
    const gone = await serve(() => undefined);
    await gone.close();
    const failure = await fetcher.fetch(gone.url, post('{}'), { timeoutMs: 30_000 }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('fetch failed');
    expect(((failure as Error).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  describe('with a cap on the response body', () => {
    beforeEach(() => {
      fetcher.destroy();
      fetcher = new SubgraphFetcher({ serviceName: 'catchments', maxResponseBytes: 1024 });
    });

    it('reads a body up to the cap', async () => {
      server = await serve((_req, res) => res.end('x'.repeat(1024)));
      const response = await fetcher.fetch(server.url, post('{}'), { timeoutMs: 30_000 });
      expect(await response.text()).toHaveLength(1024);
    });

    it('rejects a body that says it is larger', async () => {
      server = await serve((_req, res) => res.end('x'.repeat(1025)));
      await expect(fetcher.fetch(server.url, post('{}'), { timeoutMs: 30_000 })).rejects.toThrow(
        "the catchments service's response is larger than 1024 bytes",
      );
    });

    it('rejects a body that turns out larger as it streams', async () => {
      server = await serve((_req, res) => {
        // No content-length: chunked, so the size is only known by reading.
        res.write('x'.repeat(1000));
        res.write('x'.repeat(1000));
        res.end();
      });
      await expect(fetcher.fetch(server.url, post('{}'), { timeoutMs: 30_000 })).rejects.toThrow(
        "the catchments service's response is larger than 1024 bytes",
      );
    });
  });
});
