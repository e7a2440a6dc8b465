import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';

/**
 * At most this many connections to one subgraph at once, per gateway process (the global `fetch` had
 * no bound); further fetches wait in the agent's queue (their deadline keeps running) for a connection
 * to come free. Far above what one subgraph process serves at once, so only a runaway overload queues:
 * a fetch that waits there longer than `INTERNAL_HEADER_TTL_MS` reaches the subgraph with an expired
 * header and is refused (SUBGRAPH_UNAVAILABLE).
 */
export const MAX_SOCKETS_PER_SUBGRAPH = 256;

/** The largest response body read from a subgraph; beyond it the fetch fails (a broken subgraph). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * How long an idle connection is kept. Node subgraphs announce `Keep-Alive: timeout=5`, which the agent
 * takes a second off (4 s); this bounds it when the server announces nothing (undici's default too).
 */
const IDLE_SOCKET_MS = 4_000;

export interface SubgraphFetcherOptions {
  /** The subgraph's name, for error messages. */
  serviceName: string;
  maxSockets?: number;
  maxResponseBytes?: number;
}

/** What RemoteGraphQLDataSource hands its fetcher: plain headers and the body as the string it sends. */
export interface SubgraphRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface SubgraphFetchLimits {
  /** Milliseconds from now after which the fetch is aborted. */
  timeoutMs: number;
  /** Aborts the fetch when it aborts (the caller went away). */
  signal?: AbortSignal;
}

/** Response headers, looked up case-insensitively: `get` is all of `Headers` the gateway uses. */
export class SubgraphResponseHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

/**
 * A subgraph's answer, its body already read in full: the part of the Fetch API `Response` that
 * RemoteGraphQLDataSource uses (`ok`, `status`, `statusText`, `url`, `headers.get`, `json()`, `text()`).
 */
export class SubgraphResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: SubgraphResponseHeaders;

  constructor(
    readonly url: string,
    message: IncomingMessage,
    private readonly body: Buffer,
  ) {
    this.status = message.statusCode ?? 0;
    this.ok = this.status >= 200 && this.status < 300;
    this.statusText = message.statusMessage ?? '';
    this.headers = new SubgraphResponseHeaders(message.headers);
  }

  async text(): Promise<string> {
    // UTF-8 as `Response.text()` decodes it: a byte order mark is dropped.
    const bom = this.body[0] === 0xef && this.body[1] === 0xbb && this.body[2] === 0xbf;
    return (bom ? this.body.subarray(3) : this.body).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

/** The errors a fetch rejects with carry the names and messages `fetch` gives them. */
function timeoutError(): Error {
  return Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
}

function abortError(): Error {
  return Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
}

/**
 * Calls one subgraph over `node:http` (or `node:https`) with a keep-alive agent of its own, in place of
 * the global `fetch`: under load undici, its web streams and `AbortSignal.any`/`AbortSignal.timeout`
 * took some 15% of the gateway's CPU for what is one POST of a JSON string and one bounded read of the
 * answer. Each fetch is aborted by a plain timer and an `abort` listener on the caller's signal, both
 * removed when it settles; the body is read in full (at most `maxResponseBytes`) before the promise
 * resolves, so an abort, a reset or an oversized body while reading rejects the fetch itself. Errors
 * keep `fetch`'s messages (`fetch failed`, `The operation was aborted due to timeout`, `This operation
 * was aborted`), which callers see after `The <subgraph> service is unavailable: `, and no internal
 * address (the network error is the `cause`).
 */
export class SubgraphFetcher {
  private readonly serviceName: string;
  private readonly maxSockets: number;
  private readonly maxResponseBytes: number;
  private httpAgent: http.Agent | undefined;
  private httpsAgent: https.Agent | undefined;
  /** The last URL parsed: a data source always calls the same one. */
  private target: { url: string; options: http.RequestOptions; secure: boolean } | undefined;

  constructor(options: SubgraphFetcherOptions) {
    this.serviceName = options.serviceName;
    this.maxSockets = options.maxSockets ?? MAX_SOCKETS_PER_SUBGRAPH;
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  }

  /** Closes every connection, idle or not (in-flight fetches reject). */
  destroy(): void {
    this.httpAgent?.destroy();
    this.httpsAgent?.destroy();
  }

  fetch(url: string, init: SubgraphRequestInit, limits: SubgraphFetchLimits): Promise<SubgraphResponse> {
    const { signal, timeoutMs } = limits;
    if (signal?.aborted) return Promise.reject(abortError());
    let target;
    try {
      target = this.resolve(url);
    } catch (error) {
      return Promise.reject(error);
    }
    const headers: Record<string, string | number> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
    const maxBytes = this.maxResponseBytes;

    return new Promise<SubgraphResponse>((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | null, response?: SubgraphResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) {
          // Without an argument: a request still queued for a connection leaves the queue and the
          // connection it would have had stays pooled; one on a connection closes it.
          request.destroy();
          reject(error);
        } else {
          resolve(response!);
        }
      };
      const onAbort = () => settle(abortError());

      const request = (target.secure ? https : http).request(
        { ...target.options, method: init.method ?? 'GET', headers, agent: this.agentFor(target.secure) },
        (message) => {
          const declared = Number(message.headers['content-length']);
          if (declared > maxBytes) {
            settle(this.tooLarge());
            return;
          }
          const chunks: Buffer[] = [];
          let length = 0;
          message.on('data', (chunk: Buffer) => {
            if (settled) return;
            length += chunk.length;
            if (length > maxBytes) settle(this.tooLarge());
            else chunks.push(chunk);
          });
          message.on('end', () =>
            settle(null, new SubgraphResponse(url, message, Buffer.concat(chunks, length))),
          );
          message.on('error', (error) => settle(new Error('fetch failed', { cause: error })));
          message.on('close', () => {
            if (!message.complete)
              settle(new Error('fetch failed', { cause: new Error('response cut short') }));
          });
        },
      );
      // Stays attached after settling: destroying the request emits one (`socket hang up`).
      request.on('error', (error) => settle(new Error('fetch failed', { cause: error })));
      const timer = setTimeout(() => settle(timeoutError()), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      request.end(init.body);
    });
  }

  private tooLarge(): Error {
    return new Error(
      `the ${this.serviceName} service's response is larger than ${this.maxResponseBytes} bytes`,
    );
  }

  private resolve(url: string) {
    if (this.target?.url === url) return this.target;
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`the ${this.serviceName} service's URL is neither http nor https`);
    }
    const { protocol, hostname, port, path, auth } = urlToHttpOptions(parsed);
    this.target = {
      url,
      options: { protocol, hostname, port, path, ...(auth ? { auth } : {}) },
      secure: parsed.protocol === 'https:',
    };
    return this.target;
  }

  private agentFor(secure: boolean): http.Agent {
    const options = { keepAlive: true, maxSockets: this.maxSockets, timeout: IDLE_SOCKET_MS };
    if (secure) return (this.httpsAgent ??= new https.Agent(options));
    return (this.httpAgent ??= new http.Agent(options));
  }
}
