/**
 * `npm run bench:events`: from a change made through the gateway to a partner's webhook receiver and to
 * a WebSocket subscriber (issue 11's figures).
 *
 * Starts everything it uses on free ports (loopback only): FerretDB, a Redis of its own (append-only
 * file on, so the Redis it restarts keeps what it held, as a production Redis does; never a shared one),
 * every service with its worker, and the gateway. Registers a webhook endpoint for `AgreementAmended`
 * at a receiver on port 0 that verifies every delivery with the `standardwebhooks` library, subscribes
 * to `agreementAmended` over graphql-ws with the subscription resolving the agreement across
 * subgraphs, then amends agreements through the gateway:
 *
 * 1. load: EVENTS_BENCH_RATE amendments per second for EVENTS_BENCH_SECONDS (default 100/s for 60 s):
 *    latency from each event's `occurredAt` to its delivery at the receiver and to its subscription
 *    message, p50/p95/p99 (target: webhook p95 <= 1 s);
 * 2. faults: EVENTS_BENCH_FAULT_RATE for EVENTS_BENCH_FAULT_SECONDS (default 50/s for 40 s), during
 *    which the contracts worker (its relay publishes these events) and the webhooks worker are killed
 *    with SIGKILL and started again, and Redis is restarted; then every event must arrive at least once.
 *
 * Each phase prints sent / delivered / duplicates / lost for the receiver and the subscriber.
 *
 *   EVENTS_BENCH_RATE=20 EVENTS_BENCH_SECONDS=10 EVENTS_BENCH_FAULT_SECONDS=10 npm run bench:events
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { Webhook } from 'standardwebhooks';
import WebSocket from 'ws';
import {
  ensureRedis,
  ferretDbHandlerFrom,
  freePort,
  startDocumentEngine,
  type RedisEngine,
} from '@ies/engines';
import { eventStreamKey, parseStreamEntry, type PlatformEvent, type StreamEntry } from '@ies/events';
import { connectRedis } from '@ies/redis';
import {
  startStackProcesses,
  startWorkerProcess,
  type ServiceProcess,
  type StackProcesses,
} from '@ies/service-launcher';
import { SERVICES } from '@ies/service-registry';
import { testAuth } from '@ies/testkit';
import { keyPool } from './key-pool';
import { cpuSnapshot, describeCpu } from './process-cpu';

const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const RATE = setting('EVENTS_BENCH_RATE', 100);
const SECONDS = setting('EVENTS_BENCH_SECONDS', 60);
const FAULT_RATE = setting('EVENTS_BENCH_FAULT_RATE', 50);
const FAULT_SECONDS = setting('EVENTS_BENCH_FAULT_SECONDS', 40);
/** How long a phase waits, after its last amendment, for deliveries still under way. */
const DRAIN_SECONDS = setting('EVENTS_BENCH_DRAIN_SECONDS', 180);

const say = (line: string) => console.log(line);
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(0));

/**
 * What one consumer (the receiver or the subscriber) saw: each event key's first arrival and latency.
 * An event may arrive before the amendment's answer reaches the benchmark (its writer publishes it
 * before answering), so arrivals are kept whatever was sent so far and matched at the end.
 */
class Arrivals {
  private readonly seen = new Set<string>();
  /** Event key → latency of its first arrival (ms from the event's `occurredAt`). */
  private readonly firstArrivals = new Map<string, number>();
  private waiting: { keys: Set<string>; resolve(): void } | null = null;
  /** The consumer stopped (a subscription ended): nothing more will arrive. */
  private closed = false;
  duplicates = 0;
  /** The event key and id of each arrival seen before (each time). */
  readonly duplicated: { key: string; id: string }[] = [];

  constructor(private readonly expected: Map<string, number>) {}

  arrived(key: string, id: string, occurredAt: string) {
    const idKey = `${key}|${id}`;
    if (this.seen.has(idKey)) {
      this.duplicates++;
      this.duplicated.push({ key, id });
      return;
    }
    this.seen.add(idKey);
    if (!this.firstArrivals.has(key)) this.firstArrivals.set(key, Date.now() - Date.parse(occurredAt));
    if (this.waiting?.keys.delete(key) && this.waiting.keys.size === 0) this.waiting.resolve();
  }

  /** Sent events that arrived. */
  delivered(): number {
    return [...this.expected.keys()].filter((key) => this.firstArrivals.has(key)).length;
  }

  /** Nothing more will arrive: a drain waiting for this consumer ends now. */
  close() {
    this.closed = true;
    this.waiting?.resolve();
  }

  /** Resolves when every sent key has arrived, the consumer stopped, or after `seconds`. */
  async drain(seconds: number): Promise<void> {
    const missing = new Set(this.missing());
    if (missing.size === 0 || this.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      this.waiting = {
        keys: missing,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
    this.waiting = null;
  }

  /** Sent keys that never arrived. */
  missing(): string[] {
    return [...this.expected.keys()].filter((key) => !this.firstArrivals.has(key));
  }

  summary() {
    const sorted = [...this.expected.keys()]
      .filter((key) => this.firstArrivals.has(key))
      .map((key) => this.firstArrivals.get(key)!)
      .sort((a, b) => a - b);
    return {
      delivered: sorted.length,
      lost: this.expected.size - sorted.length,
      duplicates: this.duplicates,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
    };
  }
}

/** The partner's receiver: verifies every delivery with the reference library, then answers 204. */
function startReceiver(onEvent: (event: EventEnvelope) => void) {
  let verifier: Webhook | null = null;
  let refused = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        if (!verifier) throw new Error('no secret yet');
        const event = verifier.verify(body, headersOf(req.headers)) as EventEnvelope;
        res.writeHead(204).end();
        onEvent(event);
      } catch {
        refused++;
        res.writeHead(400).end();
      }
    });
  });
  return {
    server,
    setSecret: (secret: string) => (verifier = new Webhook(secret)),
    refused: () => refused,
  };
}
const headersOf = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );

interface EventEnvelope {
  id: string;
  type: string;
  occurredAt: string;
  subject: { typename: string; id: string };
  version: number;
}
const eventKey = (subjectId: string, version: number) => `${subjectId}:${version}`;

async function gql<T>(
  url: string,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!body.data || body.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const AMEND = `mutation Amend($input: AmendAgreementTargetsInput!) {
  amendAgreementTargets(input: $input) { ok agreement { id version } error { code message } }
}`;

/**
 * Sends `rate` amendments per second for `seconds` on schedule (open loop); an agreement has one
 * amendment in flight at a time (another would be a version conflict), so a slow stack lowers the rate
 * actually sent, which is printed. `during` runs at the given fractions of the phase (the faults).
 */
interface Target {
  fiscalYear: number;
  quarter: number;
  measure: string;
  value: number;
}

async function amendAtRate(
  url: string,
  token: string,
  agreements: Map<string, Target[]>,
  rate: number,
  seconds: number,
  sent: Map<string, number>,
  during: { at: number; run(): Promise<void> }[] = [],
) {
  const { take, give } = keyPool(agreements.keys());
  const total = Math.round(rate * seconds);
  const started = Date.now();
  let refused = 0;
  let failed = 0;
  const reasons = new Map<string, number>();
  const note = (reason: string) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  const inFlight: Promise<void>[] = [];
  const faults = during.map((fault) => ({ ...fault, due: started + fault.at * seconds * 1000, done: false }));
  const faultRuns: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    for (const fault of faults.filter((f) => !f.done && Date.now() >= f.due)) {
      fault.done = true;
      faultRuns.push(fault.run());
    }
    const agreementId = await take();
    inFlight.push(
      gql<{
        amendAgreementTargets: {
          ok: boolean;
          agreement: { id: string; version: number } | null;
          error: { code: string; message: string } | null;
        };
      }>(url, token, AMEND, {
        input: {
          agreementId,
          targets: [{ fiscalYear: 2025, quarter: 1 + (i % 4), measure: 'CLIENTS_SERVED', value: i }],
          reason: 'Events benchmark',
        },
      })
        .then(({ amendAgreementTargets: result }) => {
          if (result.ok && result.agreement)
            sent.set(eventKey(result.agreement.id, result.agreement.version), Date.now());
          else {
            refused++;
            note(`${result.error?.code}: ${result.error?.message}`);
          }
        })
        .catch((error: unknown) => {
          failed++;
          note(error instanceof Error ? error.message : String(error));
        })
        .finally(() => give(agreementId)),
    );
    if ((i + 1) % Math.max(1, Math.round(rate * 10)) === 0) say(`  … ${i + 1}/${total} amendments sent`);
  }
  await Promise.all(inFlight);
  await Promise.all(faultRuns);
  const elapsed = (Date.now() - started) / 1000;
  for (const [reason, count] of reasons) say(`  ${count} amendments not applied: ${reason.slice(0, 200)}`);
  return { elapsed, refused, failed, achievedRate: sent.size / elapsed };
}

/** Every event on the platform's stream with the time Redis appended it (its entry id, ms), in order. */
async function streamEvents(redisUrl: string): Promise<{ event: PlatformEvent; appendedAt: number }[]> {
  const redis = await connectRedis({ url: redisUrl });
  try {
    const events: { event: PlatformEvent; appendedAt: number }[] = [];
    let start = '-';
    for (;;) {
      const entries = (await redis.xrange(eventStreamKey('ies'), start, '+', 'COUNT', 5000)) as StreamEntry[];
      for (const entry of entries) {
        const event = parseStreamEntry(entry);
        if (event) events.push({ event, appendedAt: Number(entry[0].split('-')[0]) });
      }
      if (entries.length < 5000) break;
      start = `(${entries.at(-1)![0]}`;
    }
    return events;
  } finally {
    redis.disconnect();
  }
}

/**
 * The relay's part of the latency: a stream entry's id is the moment Redis appended it (ms), so for
 * each event sent in the phase, entry time − occurredAt is the time from the change to the stream.
 */
async function relayLatencies(redisUrl: string, expected: Map<string, number>) {
  const latencies: number[] = [];
  const seen = new Set<string>();
  for (const { event, appendedAt } of await streamEvents(redisUrl)) {
    if (seen.has(event.id) || !expected.has(eventKey(event.subject.id, event.version))) continue;
    seen.add(event.id);
    latencies.push(appendedAt - Date.parse(event.occurredAt));
  }
  return latencies.sort((a, b) => a - b);
}

/** Event ids on the stream of the given keys (subject:version), for explaining what never arrived. */
async function streamIdsOf(redisUrl: string, keys: Set<string>): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const { event } of await streamEvents(redisUrl)) {
    const key = eventKey(event.subject.id, event.version);
    if (keys.has(key)) ids.set(key, event.id);
  }
  return ids;
}

interface DeliveryRow {
  eventId: string;
  state: string;
  attempts: { status: number | null; latencyMs: number; error: string | null }[];
}

/** The endpoint's delivery log through the gateway, by event id (the benchmark replays nothing). */
async function deliveryLog(
  url: string,
  token: string,
  endpointId: string,
): Promise<Map<string, DeliveryRow>> {
  const deliveries = new Map<string, DeliveryRow>();
  let after: string | null = null;
  for (let page = 0; page < 200; page++) {
    const data: {
      webhookDeliveries: {
        edges: { node: DeliveryRow }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } = await gql(
      url,
      token,
      `query ($endpointId: ID!, $after: String) {
        webhookDeliveries(endpointId: $endpointId, first: 100, after: $after) {
          edges { node { eventId state attempts { status latencyMs error } } }
          pageInfo { hasNextPage endCursor }
        }
      }`,
      { endpointId, after },
    );
    for (const { node } of data.webhookDeliveries.edges) deliveries.set(node.eventId, node);
    if (!data.webhookDeliveries.pageInfo.hasNextPage) break;
    after = data.webhookDeliveries.pageInfo.endCursor;
  }
  return deliveries;
}

const describeDelivery = (delivery: DeliveryRow) =>
  `delivery ${delivery.state}, attempts: ${
    delivery.attempts
      .map((a) => `${a.status ?? a.error?.slice(0, 60) ?? 'no answer'} in ${a.latencyMs} ms`)
      .join('; ') || 'none'
  }`;

/**
 * For events the receiver never got: whether each is on the stream, and what its delivery (from the
 * endpoint's delivery log, through the gateway) says: its state and attempts.
 */
async function explainMissing(
  url: string,
  token: string,
  redisUrl: string,
  endpointId: string,
  missing: string[],
) {
  if (missing.length === 0) return;
  const ids = await streamIdsOf(redisUrl, new Set(missing));
  const deliveries = await deliveryLog(url, token, endpointId);
  for (const key of missing.slice(0, 10)) {
    const eventId = ids.get(key);
    const delivery = eventId ? deliveries.get(eventId) : undefined;
    say(
      `  ${key}: ${
        !eventId
          ? 'not on the stream'
          : !delivery
            ? `on the stream (${eventId}), no delivery recorded`
            : describeDelivery(delivery)
      }`,
    );
  }
}

/**
 * What the delivery log says of events the receiver got more than once: more than one attempt (an
 * attempt that timed out or failed after the receiver had taken the request), or one (sent again by a
 * run that had not recorded the first: a worker killed mid-attempt, a request sent again after a kept
 * connection failed).
 */
async function explainDuplicates(
  url: string,
  token: string,
  endpointId: string,
  duplicated: { key: string; id: string }[],
) {
  if (duplicated.length === 0) return;
  const deliveries = await deliveryLog(url, token, endpointId);
  say('  received more than once:');
  for (const { key, id } of duplicated.slice(0, 10)) {
    const delivery = deliveries.get(id);
    say(`    ${key} (${id}): ${delivery ? describeDelivery(delivery) : 'no delivery recorded'}`);
  }
}

function printPhase(
  name: string,
  sent: number,
  load: { elapsed: number; refused: number; failed: number; achievedRate: number },
  receiver: ReturnType<Arrivals['summary']>,
  subscriber: ReturnType<Arrivals['summary']>,
  relay: number[],
  lost: [string, string[]][],
) {
  say(
    `\n${name}: ${sent} events sent in ${load.elapsed.toFixed(1)} s (${load.achievedRate.toFixed(1)}/s; ${load.refused} amendments refused, ${load.failed} failed)`,
  );
  say('consumer | sent | delivered | duplicates | lost | p50 ms | p95 ms | p99 ms');
  for (const [who, r] of [
    ['webhook receiver', receiver],
    ['subscriber', subscriber],
  ] as const)
    say(
      `${who} | ${sent} | ${r.delivered} | ${r.duplicates} | ${r.lost} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)}`,
    );
  for (const [who, missing] of lost)
    if (missing.length) say(`  ${who} never got: ${missing.slice(0, 10).join(', ')}`);
  say(
    `of which change → stream (the relay) | ${sent} | ${relay.length} | | | ${ms(percentile(relay, 50))} | ${ms(percentile(relay, 95))} | ${ms(percentile(relay, 99))}`,
  );
}

/** Pino's level of an error line (50) or above. */
const isErrorLine = (line: Record<string, unknown>) => typeof line.level === 'number' && line.level >= 50;

/** How many error lines each stack process has logged so far (a worker the faults start again is a new handle). */
function errorLogCounts(stack: StackProcesses): Map<ServiceProcess, number> {
  return new Map(stack.all.map((p) => [p, p.logs.filter(isErrorLine).length]));
}

/** The error lines the stack's processes logged in a phase (the cause of amendments that failed). */
function printErrorLogs(stack: StackProcesses, before: Map<ServiceProcess, number>) {
  for (const p of stack.all) {
    const lines = p.logs.filter(isErrorLine).slice(before.get(p) ?? 0);
    if (lines.length === 0) continue;
    say(`  ${p.name} logged ${lines.length} errors; the last ones:`);
    for (const line of lines.slice(-3)) say(`    ${JSON.stringify(line).slice(0, 600)}`);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ies-events-bench-'));
  const redisPort = await freePort();
  const redisDir = join(dir, 'redis');
  const startRedis = () => ensureRedis({ port: redisPort, dataDir: redisDir, appendOnly: true });
  let redis: RedisEngine = await startRedis();
  if (!redis.started) throw new Error(`port ${redisPort} already had a Redis: the bench needs its own`);
  let stack: StackProcesses | undefined;
  let subscriber: Client | undefined;
  const databaseName = `ies_events_bench_${process.pid}`;
  const ferret = await startDocumentEngine({
    port: await freePort(),
    handler: ferretDbHandlerFrom(),
    postgresUrl: process.env.FERRETDB_POSTGRESQL_URL,
    databaseName,
    dropDatabaseOnStop: true,
    postgresDataDir: join(dir, 'postgresql'),
    sqliteDir: join(dir, 'ferretdb'),
  });
  let expected = new Map<string, number>();
  let toReceiver = new Arrivals(expected);
  let toSubscriber = new Arrivals(expected);
  const receiver = startReceiver((event) =>
    toReceiver.arrived(eventKey(event.subject.id, event.version), event.id, event.occurredAt),
  );
  try {
    const auth = await testAuth();
    const keyFile = join(dir, 'jwt.pem');
    writeFileSync(keyFile, auth.keys.publicKeyPem);
    say('starting the stack (FerretDB, a Redis of its own, every service and worker, the gateway)…');
    stack = await startStackProcesses({
      mongoUri: ferret.uri,
      redisUrl: redis.url,
      queuePrefix: 'ies',
      internalSecret: auth.internalSecret,
      databaseName: (service) => `events_bench_${service.name}`,
      env: { LOG_LEVEL: 'info' },
      gatewayEnv: {
        JWT_PUBLIC_KEY_FILE: keyFile,
        JWT_ISSUER: auth.settings.issuer,
        JWT_AUDIENCE: auth.settings.audience,
      },
    });
    const url = `${stack.gateway.url}/graphql`;
    const token = await auth.token('MINISTRY');

    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const receiverPort = (receiver.server.address() as { port: number }).port;
    const registered = await gql<{
      registerWebhookEndpoint: { endpoint: { id: string }; signingSecret: string };
    }>(
      url,
      token,
      `mutation ($input: RegisterWebhookEndpointInput!) {
        registerWebhookEndpoint(input: $input) { endpoint { id } signingSecret }
      }`,
      {
        input: {
          url: `http://127.0.0.1:${receiverPort}/ies-events`,
          eventTypes: ['AgreementAmended'],
          description: 'Events benchmark receiver',
        },
      },
    );
    receiver.setSecret(registered.registerWebhookEndpoint.signingSecret);
    const endpointId = registered.registerWebhookEndpoint.endpoint.id;

    /** A subscriber of its own per phase (one cut off as too slow in a phase does not hide the next). */
    const subscribe = () => {
      const client = createClient({
        url: url.replace('http://', 'ws://'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: false,
      });
      client.subscribe<{
        agreementAmended: { event: EventEnvelope; agreement: { id: string } | null } | null;
      }>(
        {
          query: `subscription {
            agreementAmended {
              event { id type occurredAt version subject { typename id } }
              agreement { id status catchment { name } provider { organizationName } }
            }
          }`,
        },
        {
          next: ({ data }) => {
            const message = data?.agreementAmended;
            if (message)
              toSubscriber.arrived(
                eventKey(message.event.subject.id, message.event.version),
                message.event.id,
                message.event.occurredAt,
              );
          },
          error: (error) => {
            say(`  subscription error: ${JSON.stringify(error).slice(0, 300)}`);
            if (client === subscriber) toSubscriber.close();
          },
          complete: () => {
            say('  subscription completed');
            if (client === subscriber) toSubscriber.close();
          },
        },
      );
      return client;
    };
    subscriber = subscribe();

    const listed = await gql<{
      providerAgreements: { edges: { node: { id: string; status: string; targets: Target[] } }[] };
    }>(
      url,
      token,
      '{ providerAgreements(first: 100) { edges { node { id status targets { fiscalYear quarter measure value } } } } }',
    );
    // Agreements that can be amended (not closed) and have targets to change.
    const agreements = new Map(
      listed.providerAgreements.edges
        .map((e) => e.node)
        .filter((a) => a.targets.length > 0 && !['CLOSED', 'TERMINATED', 'EXPIRED'].includes(a.status))
        .map((a) => [a.id, a.targets]),
    );

    // Warm-up, and proof that both consumers are connected: one amendment that must reach both.
    await amendAtRate(url, token, agreements, 5, 1, expected);
    if (expected.size === 0) throw new Error('no warm-up amendment was applied');
    await Promise.all([toReceiver.drain(60), toSubscriber.drain(60)]);
    if (toReceiver.delivered() < expected.size || toSubscriber.delivered() < expected.size)
      throw new Error('warm-up events did not reach the receiver and the subscriber within 60 s');
    say(
      `IES events benchmark: ${agreements.size} amendable agreements; Node ${process.version}; FerretDB 1.24.2 (${ferret.handler === 'sqlite' ? 'SQLite' : 'PostgreSQL + GIN'}); a private redis-server on ${redisPort} with appendonly`,
    );

    // Phase 1: load.
    const resetArrivals = () => {
      expected = new Map();
      toReceiver = new Arrivals(expected);
      toSubscriber = new Arrivals(expected);
    };
    /**
     * Starts a phase with a subscriber of its own, proven listening by a probe amendment it must
     * receive (not counted in the phase).
     */
    const newPhase = async () => {
      await subscriber?.dispose();
      resetArrivals();
      subscriber = subscribe();
      await amendAtRate(url, token, agreements, 5, 0.2, expected);
      await Promise.all([toSubscriber.drain(60), toReceiver.drain(60)]);
      if (toSubscriber.delivered() < expected.size)
        throw new Error('the probe amendment did not reach the new subscriber within 60 s');
      resetArrivals();
    };
    /** Waits for what is still under way, then prints the phase and explains what never arrived. */
    const endPhase = async (name: string, sent: Awaited<ReturnType<typeof amendAtRate>>) => {
      await Promise.all([toReceiver.drain(DRAIN_SECONDS), toSubscriber.drain(DRAIN_SECONDS)]);
      printPhase(
        name,
        expected.size,
        sent,
        toReceiver.summary(),
        toSubscriber.summary(),
        await relayLatencies(redis.url, expected),
        [
          ['webhook receiver', toReceiver.missing()],
          ['subscriber', toSubscriber.missing()],
        ],
      );
      await explainMissing(url, token, redis.url, endpointId, toReceiver.missing());
      await explainDuplicates(url, token, endpointId, toReceiver.duplicated);
      if (sent.failed > 0) printErrorLogs(stack!, loggedErrorsBefore);
      loggedErrorsBefore = errorLogCounts(stack!);
    };
    let loggedErrorsBefore = errorLogCounts(stack);
    await newPhase();
    say(`\nload: ${RATE} amendments/s for ${SECONDS} s`);
    const cpuBefore = cpuSnapshot(databaseName);
    const load = await amendAtRate(url, token, agreements, RATE, SECONDS, expected);
    // Until the last webhook delivery of the load: the CPU its events cost, relay and deliveries included.
    await toReceiver.drain(DRAIN_SECONDS);
    const cpuAfter = cpuSnapshot(databaseName);
    await endPhase('load', load);
    for (const line of describeCpu(cpuBefore, cpuAfter, expected.size, 'amendment')) say(line);

    // Phase 2: faults.
    await newPhase();
    const contractsWorker = stack.workers.contracts!;
    const webhooksWorker = stack.workers.webhooks!;
    const restart = async (name: string, killed: typeof contractsWorker) => {
      const entry = SERVICES.find((s) => s.name === name)!.worker!.entry;
      const started = await startWorkerProcess({ name: `${name}-worker`, entry, env: stack!.envOf[name]! });
      stack!.workers[name] = started;
      stack!.all[stack!.all.indexOf(killed)] = started;
      return started;
    };
    const kill = async (process: typeof contractsWorker) => {
      const exited = new Promise((resolve) => process.child.once('exit', resolve));
      process.child.kill('SIGKILL');
      await exited;
    };
    say(
      `\nfaults: ${FAULT_RATE} amendments/s for ${FAULT_SECONDS} s; SIGKILL of the contracts worker (relay) and the webhooks worker at 25%, Redis restarted at 50%`,
    );
    const faults = await amendAtRate(url, token, agreements, FAULT_RATE, FAULT_SECONDS, expected, [
      {
        at: 0.25,
        run: async () => {
          await Promise.all([kill(contractsWorker), kill(webhooksWorker)]);
          say('  killed contracts-worker and webhooks-worker (SIGKILL); starting them again');
          await Promise.all([restart('contracts', contractsWorker), restart('webhooks', webhooksWorker)]);
          say('  contracts-worker and webhooks-worker running again');
        },
      },
      {
        at: 0.5,
        run: async () => {
          await redis.stop();
          say('  Redis stopped');
          redis = await startRedis();
          say('  Redis started again (same port, its append-only file)');
        },
      },
    ]);
    await endPhase('faults', faults);
    say(`\ndeliveries the receiver refused (signature not verified): ${receiver.refused()}`);
  } finally {
    await subscriber?.dispose();
    await stack?.stop();
    await new Promise((resolve) => receiver.server.close(resolve));
    await ferret.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
