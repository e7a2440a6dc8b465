import { GRAPHQL_TRANSPORT_WS_PROTOCOL, MessageType } from 'graphql-ws';
import WebSocket from 'ws';

export interface ServerMessage {
  type: string;
  id?: string;
  payload?: any;
}

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A graphql-ws (graphql-transport-ws) client over a real WebSocket, speaking the protocol message by
 * message so a test can order things: `settled()` pings and awaits the pong, which the server sends only
 * after it has read every message sent before it.
 */
export class Subscriber {
  private readonly received: ServerMessage[] = [];
  private readonly waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] =
    [];
  readonly closed: Promise<Closed>;
  private readonly socket: WebSocket;

  private constructor(url: string) {
    this.socket = new WebSocket(url, GRAPHQL_TRANSPORT_WS_PROTOCOL);
    this.socket.on('message', (data) => this.onMessage(JSON.parse(String(data)) as ServerMessage));
    this.closed = new Promise((resolve) =>
      this.socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  /** Opens a socket to the gateway's `/graphql` and sends `connection_init` with `payload`. */
  static async connect(httpUrl: string, payload?: Record<string, unknown>): Promise<Subscriber> {
    const subscriber = new Subscriber(httpUrl.replace(/^http/, 'ws'));
    await new Promise<void>((resolve, reject) => {
      subscriber.socket.once('open', () => resolve());
      subscriber.socket.once('error', reject);
    });
    subscriber.send({ type: MessageType.ConnectionInit, ...(payload ? { payload } : {}) });
    return subscriber;
  }

  /** Connects with a bearer token and awaits `connection_ack`. */
  static async withToken(httpUrl: string, token: string | null): Promise<Subscriber> {
    const subscriber = await Subscriber.connect(
      httpUrl,
      token ? { authorization: `Bearer ${token}` } : undefined,
    );
    const first = await Promise.race([
      subscriber.next((m) => m.type === MessageType.ConnectionAck),
      subscriber.closed.then((c) => ({ type: 'closed', payload: c })),
    ]);
    if (first.type !== MessageType.ConnectionAck)
      throw new Error(`not acknowledged: ${JSON.stringify(first)}`);
    return subscriber;
  }

  subscribe(id: string, query: string, variables?: Record<string, unknown>): void {
    this.send({ type: MessageType.Subscribe, id, payload: { query, variables } });
  }

  /** Resolves once the server has read every message this client sent before (ping → pong). */
  async settled(): Promise<void> {
    const marker = { at: String(Math.random()) };
    const pong = this.next((m) => m.type === MessageType.Pong && m.payload?.at === marker.at);
    this.send({ type: MessageType.Ping, payload: marker });
    await pong;
  }

  /** The next message (already received and not yet taken, or still to come) for subscription `id`. */
  nextFor(id: string): Promise<ServerMessage> {
    return this.next((m) => m.id === id);
  }

  /**
   * The first `next` for subscription `id` whose data passes `match`, taking (and dropping) the ones
   * before it: for events other changes of the platform may precede (the SLA sweep, the seed's backlog).
   */
  async nextMatching(id: string, match: (data: any) => boolean): Promise<any> {
    for (;;) {
      const message = await this.nextFor(id);
      if (message.type !== MessageType.Next) throw new Error(`expected next, got ${JSON.stringify(message)}`);
      if (message.payload.errors) throw new Error(`errors: ${JSON.stringify(message.payload.errors)}`);
      if (match(message.payload.data)) return message.payload.data;
    }
  }

  /** The messages for subscription `id` received and not yet taken, without waiting for more. */
  waiting(id: string): ServerMessage[] {
    return this.received.filter((m) => m.id === id);
  }

  close(): void {
    this.socket.close(1000);
  }

  private next(match: (m: ServerMessage) => boolean): Promise<ServerMessage> {
    const index = this.received.findIndex(match);
    if (index >= 0) return Promise.resolve(this.received.splice(index, 1)[0]!);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  private onMessage(message: ServerMessage) {
    const index = this.waiters.findIndex((w) => w.match(message));
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(message);
    else this.received.push(message);
  }

  private send(message: Record<string, unknown>) {
    this.socket.send(JSON.stringify(message));
  }
}
