/**
 * `npm run bench:hostile`: the stack under hostile operations (issue 8's figures).
 *
 * Starts engines and processes of its own on free ports (loopback only), measures a normal client's
 * fixed query alone (an anonymous front-end sending a trusted document by its id, NORMAL_RATE per
 * second), then sends HOSTILE_OPERATIONS generated hostile requests (every kind below, in a seeded
 * order) from HOSTILE_CONCURRENCY clients while the normal client keeps running, and prints: status
 * counts, 5xx responses, requests that got no answer in 60 s, responses that leak a path, a stack
 * trace, HTML or an internal address, processes that died, and the normal query's failures and
 * p50/p99 under attack against alone. Each hostile client sends from its own loopback address
 * (127.0.0.2, 127.0.0.3, …) and the normal client from 127.0.0.1, as attackers and users come from
 * different addresses.
 *
 * It runs two passes, each on a stack of its own: the gateway's defaults (`npm start`), and the
 * production settings of docker-compose.yml (TRUSTED_DOCUMENTS=require, RATE_LIMITS_ENABLED=true),
 * where 403 and 429 answers to the hostile clients are expected.
 *
 *   HOSTILE_OPERATIONS=10000 HOSTILE_CONCURRENCY=12 npm run bench:hostile
 *   HOSTILE_PASSES=production npm run bench:hostile   # one pass: development or production
 *   HOSTILE_SEED=7 npm run bench:hostile              # another order of the same kinds
 *
 * Gateway settings can be added to both passes as `HOSTILE_GATEWAY_<VARIABLE>=value`.
 */
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRedis, ferretDbHandlerFrom, freePort, repoRoot, startDocumentEngine } from '@ies/engines';
import { removeJobsData } from '@ies/jobs';
import { startStackProcesses, type StackProcesses } from '@ies/service-launcher';
import { testAuth, type TestAuth } from '@ies/testkit';

const OPERATIONS = Number(process.env.HOSTILE_OPERATIONS ?? 10_000);
const CONCURRENCY = Number(process.env.HOSTILE_CONCURRENCY ?? 12);
const SEED = Number(process.env.HOSTILE_SEED ?? 1);
const BASELINE_REQUESTS = Number(process.env.HOSTILE_BASELINE_REQUESTS ?? 300);
/** Requests per second of the normal client (a front-end user), alone and under attack. */
const NORMAL_RATE = Number(process.env.HOSTILE_NORMAL_RATE ?? 10);
const PASSES = {
  development: {},
  production: { TRUSTED_DOCUMENTS: 'require', RATE_LIMITS_ENABLED: 'true' },
} as const satisfies Record<string, Record<string, string>>;
const passNames = (process.env.HOSTILE_PASSES ?? 'development,production').split(',');
for (const name of passNames)
  if (!(name in PASSES)) throw new Error(`HOSTILE_PASSES lists development and/or production (got ${name})`);
for (const [name, value] of Object.entries({
  OPERATIONS,
  CONCURRENCY,
  SEED,
  BASELINE_REQUESTS,
  NORMAL_RATE,
})) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`HOSTILE_${name} must be a positive integer`);
}

/** One request as sent on the wire: the bench controls every byte and header. */
interface RawRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/graphql` or `/graphql?query=…`. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Send to a subgraph directly instead of the gateway. */
  target?: 'gateway' | 'subgraph';
}

interface Outcome {
  status: number;
  body: string;
  contentType: string;
}

type Kind = (context: HostileContext, random: () => number) => RawRequest;

interface HostileContext {
  tokens: Record<'ministry' | 'ssm' | 'provider' | 'partner' | 'expired' | 'noExp' | 'future', string>;
  forged: string;
  algNone: string;
}

const json = (body: unknown, headers: Record<string, string> = {}): RawRequest => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** `fragment F0 { ...F1 ...F1 } fragment F1 { ...F2 ...F2 } …`: 2^n walks for a naive depth rule. */
function fragmentBomb(n: number): string {
  const fragments = Array.from(
    { length: n },
    (_, i) => `fragment F${i} on CatchmentArea { id ${i + 1 < n ? `...F${i + 1} ...F${i + 1}` : 'name'} }`,
  );
  return `{ catchmentAreas(first: 1) { edges { node { ...F0 } } } } ${fragments.join(' ')}`;
}

const KINDS: Record<string, Kind> = {
  'fragment bomb': (_c, r) => json({ query: fragmentBomb(20 + Math.floor(r() * 10)) }),
  'alias flood (300 x serviceProviders(first: 100))': () =>
    json({
      query: `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: serviceProviders(first: 100) { edges { node { id organizationName } } }`).join(' ')} }`,
    }),
  'alias flood through fragments': () =>
    json({
      query: `{ ...A } fragment A on Query { ${Array.from({ length: 10 }, (_, i) => `...B${i}`).join(' ')} } ${Array.from(
        { length: 10 },
        (_, i) =>
          `fragment B${i} on Query { ${Array.from({ length: 30 }, (_, j) => `b${i}_${j}: serviceProviders(first: 100) { totalCount }`).join(' ')} }`,
      ).join(' ')}`,
    }),
  'introspection alias flood': () =>
    json({
      query: `{ ${Array.from({ length: 300 }, (_, i) => `s${i}: __schema { types { name fields { name type { name } args { name type { name } } } } }`).join(' ')} }`,
    }),
  '__typename alias flood': () =>
    json({ query: `{ ${Array.from({ length: 2000 }, (_, i) => `t${i}: __typename`).join(' ')} }` }),
  'persisted query: unknown hash': (_c, r) =>
    json({
      extensions: {
        persistedQuery: {
          version: 1,
          sha256Hash: Math.floor(r() * 1e15)
            .toString(16)
            .padStart(64, '0'),
        },
      },
    }),
  'persisted query: hash of another body': () =>
    json({
      query: '{ catchmentAreas(first: 100) { edges { node { providers { organizationName } } } } }',
      extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
    }),
  'GET query, costly': () => ({
    method: 'GET',
    path: `/graphql?query=${encodeURIComponent(`{ ${Array.from({ length: 14 }, (_, i) => `p${i}: serviceProviders(first: 100) { edges { node { sites { community } agreements { id } } } }`).join(' ')} }`)}`,
    headers: { 'apollo-require-preflight': 'true' },
  }),
  'root field flood': () =>
    json({
      query: `{ ${Array.from({ length: 200 }, (_, i) => `c${i}: catchmentAreas(first: 1) { totalCount }`).join(' ')} }`,
    }),
  'token flood (900 KB)': () =>
    json({ query: `{ catchmentAreas(first: 1) { totalCount ${'__typename '.repeat(80_000)} } }` }),
  'deep nesting': () => {
    let selection = 'id';
    for (let i = 0; i < 30; i++) selection = `catchmentArea { ${selection} }`;
    return json({
      query: `{ providerAgreements(first: 1) { edges { node { provider { ${selection} } } } } }`,
    });
  },
  'introspection nesting': () =>
    json({
      query: `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }`,
    }),
  'forged signature': (c) => json({ query: '{ catchmentAreas(first: 1) { totalCount } }' }, bearer(c.forged)),
  'alg none': (c) => json({ query: '{ catchmentAreas(first: 1) { totalCount } }' }, bearer(c.algNone)),
  'expired token': (c) =>
    json({ query: '{ catchmentAreas(first: 1) { totalCount } }' }, bearer(c.tokens.expired)),
  'token without exp': (c) =>
    json({ query: '{ catchmentAreas(first: 1) { totalCount } }' }, bearer(c.tokens.noExp)),
  'token issued in the future': (c) =>
    json({ query: '{ catchmentAreas(first: 1) { totalCount } }' }, bearer(c.tokens.future)),
  'malformed authorization': () =>
    json({ query: '{ catchmentAreas(first: 1) { totalCount } }' }, { authorization: 'Basic Zm9vOmJhcg==' }),
  'malformed JSON': () => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    body: '{"query": "{ catchmentAreas { totalCount } }"',
  }),
  'null body': () => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    body: 'null',
  }),
  'wrong content type': () => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'text/xml' },
    body: '<query>{ catchmentAreas { totalCount } }</query>',
  }),
  'bad encoding': () => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: Buffer.from('not gzip at all'),
  }),
  'unknown charset': () => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json; charset=utf-42' },
    body: '{"query":"{ __typename }"}',
  }),
  'oversized body (1.2 MB)': () =>
    json({ query: '{ __typename }', variables: { padding: 'x'.repeat(1_200_000) } }),
  'syntax error': () => json({ query: '{ catchmentAreas(first: 1) { totalCount ' }),
  'unknown operationName': () =>
    json({ query: 'query A { __typename } query B { __typename }', operationName: 'C' }),
  'several operations, no name': () => json({ query: 'query A { __typename } query B { __typename }' }),
  'subscription over POST': () => json({ query: 'subscription { __typename }' }),
  'mutation over GET': () => ({
    method: 'GET',
    path: `/graphql?query=${encodeURIComponent('mutation { __typename }')}`,
    headers: { 'apollo-require-preflight': 'true' },
  }),
  'batched array': () => ({
    ...json(Array.from({ length: 50 }, () => ({ query: '{ catchmentAreas(first: 100) { totalCount } }' }))),
  }),
  'impossible date literal': () =>
    json({ query: '{ catchmentArea(id: "durham") { period(asOf: "2023-02-30") } }' }),
  'operator injection in variables': (c) =>
    json(
      {
        query: 'query ($id: ID!) { providerAgreement(id: $id) { id } }',
        variables: { id: { $ne: null } },
      },
      bearer(c.tokens.ministry),
    ),
  'operator-looking id': (c) =>
    json({ query: '{ providerAgreement(id: "{\\"$gt\\": \\"\\"}") { id } }' }, bearer(c.tokens.ministry)),
  'out-of-scope lookups': (c) =>
    json(
      {
        query: `{ a: catchmentArea(id: "peel") { contract { funding { total } } } b: providerAgreements(first: 5) { totalCount } c: actionPlans(first: 5) { totalCount } }`,
      },
      bearer(c.tokens.provider),
    ),
  'refused mutation (partner)': (c) =>
    json(
      {
        query:
          'mutation { assignServiceSystemManager(input: { catchmentId: "durham", serviceSystemManagerId: "x", reason: "r" }) { ok } }',
      },
      bearer(c.tokens.partner),
    ),
  'control characters in a name': (c) =>
    json(
      {
        query:
          'mutation ($name: String!) { registerServiceSystemManager(input: { organizationName: $name, organizationType: MUNICIPAL, reason: "r" }) { ok } }',
        variables: { name: 'Durham\u0000\u001b[2J' },
      },
      bearer(c.tokens.ministry),
    ),
  'unique documents (cache growth)': (_c, r) =>
    json({ query: `{ catchmentAreas(first: 1) { totalCount } u${Math.floor(r() * 1e12)}: __typename }` }),
  'subgraph without principal': () => ({
    ...json({ query: '{ _service { sdl } }' }),
    target: 'subgraph',
  }),
  'subgraph with a forged principal': () => ({
    ...json(
      { query: '{ providerAgreements(first: 1) { totalCount } }' },
      { 'x-ies-principal': 'v2.e30.AAAA' },
    ),
    target: 'subgraph',
  }),
};

/** Deterministic generator (mulberry32), so a seed gives the same run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Status -1: the server closed the connection (a 413 before reading the body); -2: no answer in 60 s. */
const CLOSED = -1;
const NO_ANSWER = -2;

function send(baseUrl: string, raw: RawRequest, localAddress: string): Promise<Outcome> {
  const url = new URL(raw.path, baseUrl);
  return new Promise((resolve) => {
    let timedOut = false;
    const options = { method: raw.method, headers: raw.headers, timeout: 60_000, localAddress };
    const req = httpRequest(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: String(res.headers['content-type'] ?? ''),
        }),
      );
      res.on('error', () => resolve({ status: CLOSED, body: '', contentType: '' }));
    });
    // A server that closes the connection (413 before the body is read) is an answer, not a crash;
    // a server that does not answer at all is a failure.
    req.on('error', (error) =>
      resolve({ status: timedOut ? NO_ANSWER : CLOSED, body: String(error.message), contentType: '' }),
    );
    req.on('timeout', () => {
      timedOut = true;
      req.destroy(new Error('no answer in 60 s'));
    });
    if (raw.body !== undefined) req.end(raw.body);
    else req.end();
  });
}

/** What a response must never hold: a file path, a stack frame, an HTML page or an internal address. */
function leaks(outcome: Outcome, internalPorts: number[]): string[] {
  const found: string[] = [];
  const { body } = outcome;
  if (/\/(work|home|root|usr|tmp)\/|node_modules|\.ts:\d+|\.js:\d+/.test(body)) found.push('path');
  if (/\n\s+at [\w.<>]+ \(|"stacktrace"/.test(body)) found.push('stack trace');
  if (/<html|<!doctype|<pre>/i.test(body)) found.push('html');
  if (internalPorts.some((port) => body.includes(`:${port}`))) found.push('internal address');
  if (outcome.status > 0 && body && !outcome.contentType.includes('json')) found.push('not JSON');
  return found;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** The normal client's operation: a trusted document (the API guide's), sent by its id as a front-end does. */
const NORMAL_OPERATION = 'CatchmentsInTransition';

interface Manifest {
  operations: { id: string; name: string; body: string }[];
}

/**
 * The normal client: an anonymous front-end user sending one fixed query NORMAL_RATE times a second
 * (on schedule; a slow answer delays the next) until `until` says stop or `count` are done.
 */
async function normalClient(url: string, operationId: string, until: () => boolean, count = Infinity) {
  const latencies: number[] = [];
  let failures = 0;
  const body = JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: operationId } } });
  const started = performance.now();
  while (latencies.length < count && !until()) {
    const due = started + (latencies.length * 1000) / NORMAL_RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(60_000),
      });
      const answer = (await response.json()) as { errors?: unknown };
      if (!response.ok || answer.errors) failures++;
    } catch {
      failures++;
    }
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  return { latencies, failures };
}

async function hostileContext(auth: TestAuth): Promise<HostileContext> {
  const now = Math.floor(Date.now() / 1000);
  const ministry = await auth.token('MINISTRY');
  const [header, payload] = ministry.split('.');
  const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  return {
    tokens: {
      ministry,
      ssm: await auth.token('SSM', { catchmentIds: ['durham'] }),
      provider: await auth.token('PROVIDER', { providerIds: ['prov-none'] }),
      partner: await auth.token('PARTNER', { partnerId: 'partner-x' }),
      expired: await auth.token('MINISTRY', {}, { issuedAt: now - 7200, expiresAt: now - 3600 }),
      noExp: await auth.token('MINISTRY', {}, { issuedAt: now, expiresAt: null }),
      future: await auth.token('MINISTRY', {}, { issuedAt: now + 3600, expiresAt: now + 7200 }),
    },
    forged: `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`,
    algNone: `${noneHeader}.${payload}.`,
  };
}

interface PassResult {
  name: string;
  met: boolean;
}

async function runPass(
  name: keyof typeof PASSES,
  engines: { mongoUri: string; redisUrl: string; handler: string },
  auth: TestAuth,
  keyFile: string,
): Promise<PassResult> {
  const queuePrefix = `hostile-${process.pid}-${name}`;
  const gatewayOverrides = Object.fromEntries(
    Object.entries(process.env)
      .filter(([variable]) => variable.startsWith('HOSTILE_GATEWAY_'))
      .map(([variable, value]) => [variable.slice('HOSTILE_GATEWAY_'.length), value ?? '']),
  );
  const gatewayEnv = {
    JWT_PUBLIC_KEY_FILE: keyFile,
    JWT_ISSUER: auth.settings.issuer,
    JWT_AUDIENCE: auth.settings.audience,
    REDIS_URL: engines.redisUrl,
    RATE_LIMIT_KEY_PREFIX: `${queuePrefix}:rate:`,
    ...PASSES[name],
    ...gatewayOverrides,
  };
  let stack: StackProcesses | undefined;
  try {
    stack = await startStackProcesses({
      mongoUri: engines.mongoUri,
      redisUrl: engines.redisUrl,
      queuePrefix,
      internalSecret: auth.internalSecret,
      databaseName: (service) => `hostile_${service.name}`,
      env: { LOG_LEVEL: 'info' },
      gatewayEnv,
    });
    const died: string[] = [];
    for (const process of stack.all)
      process.onUnexpectedExit((exit) => died.push(`${process.name} (${JSON.stringify(exit)})`));

    const gatewayUrl = stack.gateway.url;
    const subgraph = stack.services.contracts!;
    const internalPorts = Object.values(stack.services).map((s) => s.port);
    const url = `${gatewayUrl}/graphql`;
    const context = await hostileContext(auth);
    const manifest = JSON.parse(
      readFileSync(join(repoRoot(__dirname), 'gateway', 'trusted-documents.json'), 'utf8'),
    ) as Manifest;
    const normalId = manifest.operations.find((o) => o.name === NORMAL_OPERATION)?.id;
    if (!normalId) throw new Error(`the trusted documents manifest has no ${NORMAL_OPERATION}`);

    console.log(
      `\n## pass: ${name} (gateway settings ${JSON.stringify({ ...PASSES[name], ...gatewayOverrides })})`,
    );
    await normalClient(url, normalId, () => false, 20); // warm-up
    const alone = await normalClient(url, normalId, () => false, BASELINE_REQUESTS);

    const random = seeded(SEED);
    const kindNames = Object.keys(KINDS);
    const plan = Array.from(
      { length: OPERATIONS },
      () => kindNames[Math.floor(random() * kindNames.length)]!,
    );
    const statuses = new Map<string, number>();
    const byKind = new Map<string, Map<number, number>>();
    const leaked: string[] = [];
    const serverErrors: string[] = [];
    const unanswered: string[] = [];
    let next = 0;
    let attackDone = false;
    const started = performance.now();
    let lastProgress = started;
    const statusName = (status: number) =>
      status === CLOSED ? 'connection closed' : status === NO_ANSWER ? 'no answer in 60 s' : String(status);

    const attack = Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, client) => {
        const localAddress = `127.0.0.${2 + client}`;
        while (next < plan.length) {
          const index = next++;
          const kind = plan[index]!;
          const raw = KINDS[kind]!(context, random);
          const outcome = await send(
            raw.target === 'subgraph' ? subgraph.url : gatewayUrl,
            raw,
            localAddress,
          );
          const statusKey = statusName(outcome.status);
          statuses.set(statusKey, (statuses.get(statusKey) ?? 0) + 1);
          const kindStatuses = byKind.get(kind) ?? new Map<number, number>();
          kindStatuses.set(outcome.status, (kindStatuses.get(outcome.status) ?? 0) + 1);
          byKind.set(kind, kindStatuses);
          if (outcome.status >= 500)
            serverErrors.push(`${kind}: ${outcome.status} ${outcome.body.slice(0, 200)}`);
          if (outcome.status === NO_ANSWER) unanswered.push(kind);
          const found = leaks(outcome, internalPorts);
          if (found.length) leaked.push(`${kind}: ${found.join(', ')}: ${outcome.body.slice(0, 200)}`);
          if (performance.now() - lastProgress > 10_000) {
            lastProgress = performance.now();
            console.log(`… ${index + 1}/${plan.length} hostile operations sent`);
          }
        }
      }),
    ).finally(() => {
      attackDone = true;
    });
    const [underAttack] = await Promise.all([normalClient(url, normalId, () => attackDone), attack]);
    const seconds = (performance.now() - started) / 1000;

    console.log(`hostile operations: ${OPERATIONS} in ${seconds.toFixed(1)} s`);
    console.log(
      `status counts: ${[...statuses.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([status, count]) => `${status}: ${count}`)
        .join(', ')}`,
    );
    console.log('\nkind | answers');
    for (const kind of kindNames) {
      const answers = byKind.get(kind);
      if (!answers) continue;
      console.log(
        `${kind} | ${[...answers.entries()]
          .sort(([a], [b]) => a - b)
          .map(([status, count]) => `${statusName(status)} x${count}`)
          .join(', ')}`,
      );
    }
    const p = (sorted: number[], q: number) => (sorted.length ? percentile(sorted, q).toFixed(1) : 'n/a');
    console.log(
      `\nnormal query (${NORMAL_OPERATION} by id, anonymous, ${NORMAL_RATE}/s) | requests | failures | p50 ms | p99 ms`,
    );
    console.log(
      `alone | ${alone.latencies.length} | ${alone.failures} | ${p(alone.latencies, 50)} | ${p(alone.latencies, 99)}`,
    );
    console.log(
      `under attack | ${underAttack.latencies.length} | ${underAttack.failures} | ${p(underAttack.latencies, 50)} | ${p(underAttack.latencies, 99)}`,
    );
    const ratio = percentile(underAttack.latencies, 99) / percentile(alone.latencies, 99);
    // Still alive after the attack: the gateway answers its liveness probe.
    const live = await fetch(`${gatewayUrl}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (!live) died.push('gateway (no answer on /health/live)');

    console.log('\nfigure | measured | target');
    console.log(`5xx responses | ${serverErrors.length} | 0`);
    console.log(`hostile requests without an answer in 60 s | ${unanswered.length} | 0`);
    console.log(`responses leaking a path, stack trace, HTML or internal address | ${leaked.length} | 0`);
    console.log(`processes that died | ${died.length} | 0`);
    console.log(`normal queries failed under attack | ${underAttack.failures} | 0`);
    console.log(`normal p99 under attack / alone | ${ratio.toFixed(2)}x | <= 3x`);
    for (const line of serverErrors.slice(0, 10)) console.log(`  5xx: ${line}`);
    for (const line of leaked.slice(0, 10)) console.log(`  leak: ${line}`);
    for (const line of died) console.log(`  died: ${line}`);
    if (unanswered.length) console.log(`  no answer: ${[...new Set(unanswered)].join(', ')}`);
    const met =
      serverErrors.length === 0 &&
      unanswered.length === 0 &&
      leaked.length === 0 &&
      died.length === 0 &&
      underAttack.failures === 0 &&
      ratio <= 3;
    console.log(`targets of the ${name} pass ${met ? 'met' : 'NOT met'}`);
    return { name, met };
  } finally {
    await stack?.stop();
    await removeJobsData({ redisUrl: engines.redisUrl, prefix: queuePrefix });
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ies-hostile-'));
  const ferret = await startDocumentEngine({
    port: await freePort(),
    handler: ferretDbHandlerFrom(),
    postgresUrl: process.env.FERRETDB_POSTGRESQL_URL,
    databaseName: `ies_hostile_${process.pid}`,
    dropDatabaseOnStop: true,
    postgresDataDir: join(dir, 'postgresql'),
    sqliteDir: join(dir, 'ferretdb'),
  });
  const redis = await ensureRedis({ dataDir: join(dir, 'redis') });
  try {
    const auth = await testAuth();
    const keyFile = join(dir, 'jwt.pem');
    writeFileSync(keyFile, auth.keys.publicKeyPem);
    console.log(
      `IES hostile benchmark: ${OPERATIONS} hostile operations per pass (${Object.keys(KINDS).length} kinds, seed ${SEED}) from ${CONCURRENCY} concurrent clients, while one normal client runs a fixed query; Node ${process.version}; FerretDB 1.24.2 (${ferret.handler === 'sqlite' ? 'SQLite' : 'PostgreSQL + GIN'})`,
    );
    const results: PassResult[] = [];
    for (const name of passNames as (keyof typeof PASSES)[])
      results.push(
        await runPass(
          name,
          { mongoUri: ferret.uri, redisUrl: `${redis.url}/2`, handler: ferret.handler },
          auth,
          keyFile,
        ),
      );
    console.log(`\n${results.map((r) => `${r.name}: targets ${r.met ? 'met' : 'NOT met'}`).join('; ')}`);
  } finally {
    await ferret.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
