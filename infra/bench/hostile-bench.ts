/**
 * `npm run bench:hostile`: the stack under hostile operations (issue 8's figures).
 *
 * Starts engines and processes of its own on free ports (loopback only), measures a normal client's
 * fixed query alone, then sends HOSTILE_OPERATIONS generated hostile requests (every kind below, in a
 * seeded order) from HOSTILE_CONCURRENCY clients while the normal client keeps running, and prints:
 * status counts, 5xx responses, responses that leak a path, a stack trace, HTML or an internal
 * address, processes that died, and the normal query's p50/p99 under attack against alone.
 *
 *   HOSTILE_OPERATIONS=10000 HOSTILE_CONCURRENCY=12 npm run bench:hostile
 *   HOSTILE_SEED=7 npm run bench:hostile        # another order of the same kinds
 *
 * Gateway settings can be passed through as `HOSTILE_GATEWAY_<VARIABLE>=value` (e.g.
 * HOSTILE_GATEWAY_RATE_LIMIT_PER_IP=…): the bench runs the gateway with its defaults otherwise.
 */
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRedis, ferretDbHandlerFrom, freePort, startDocumentEngine } from '@ies/engines';
import { removeJobsData } from '@ies/jobs';
import { startStackProcesses, type StackProcesses } from '@ies/service-launcher';
import { testAuth, type TestAuth } from '@ies/testkit';

const OPERATIONS = Number(process.env.HOSTILE_OPERATIONS ?? 10_000);
const CONCURRENCY = Number(process.env.HOSTILE_CONCURRENCY ?? 12);
const SEED = Number(process.env.HOSTILE_SEED ?? 1);
const BASELINE_REQUESTS = Number(process.env.HOSTILE_BASELINE_REQUESTS ?? 400);
for (const [name, value] of Object.entries({ OPERATIONS, CONCURRENCY, SEED, BASELINE_REQUESTS })) {
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

function send(baseUrl: string, raw: RawRequest): Promise<Outcome> {
  const url = new URL(raw.path, baseUrl);
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: raw.method, headers: raw.headers, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: String(res.headers['content-type'] ?? ''),
        }),
      );
      res.on('error', () => resolve({ status: -1, body: '', contentType: '' }));
    });
    // A server that closes the connection (413 before the body is read) is an answer, not a crash.
    req.on('error', (error) => resolve({ status: -1, body: String(error.message), contentType: '' }));
    req.on('timeout', () => req.destroy(new Error('no answer in 60 s')));
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

const NORMAL_QUERY = JSON.stringify({
  query: `{ catchmentAreas(first: 15) { totalCount edges { node { id name phase serviceSystemManager { organizationName } } } } }`,
});

/** The normal client: one fixed query after another until `until` says stop (or `count` are done). */
async function normalClient(url: string, token: string, until: () => boolean, count = Infinity) {
  const latencies: number[] = [];
  let failures = 0;
  while (latencies.length < count && !until()) {
    const t0 = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: NORMAL_QUERY,
    });
    const body = (await response.json()) as { errors?: unknown };
    latencies.push(performance.now() - t0);
    if (!response.ok || body.errors) failures++;
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

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ies-hostile-'));
  let stack: StackProcesses | undefined;
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
  const queuePrefix = `hostile-${process.pid}`;
  const gatewayOverrides = Object.fromEntries(
    Object.entries(process.env)
      .filter(([name]) => name.startsWith('HOSTILE_GATEWAY_'))
      .map(([name, value]) => [name.slice('HOSTILE_GATEWAY_'.length), value ?? '']),
  );
  try {
    const auth = await testAuth();
    const keyFile = join(dir, 'jwt.pem');
    writeFileSync(keyFile, auth.keys.publicKeyPem);
    stack = await startStackProcesses({
      mongoUri: ferret.uri,
      redisUrl: `${redis.url}/2`,
      queuePrefix,
      internalSecret: auth.internalSecret,
      databaseName: (service) => `hostile_${service.name}`,
      env: { LOG_LEVEL: 'info' },
      gatewayEnv: {
        JWT_PUBLIC_KEY_FILE: keyFile,
        JWT_ISSUER: auth.settings.issuer,
        JWT_AUDIENCE: auth.settings.audience,
        ...gatewayOverrides,
      },
    });
    const died: string[] = [];
    for (const process of stack.all)
      process.onUnexpectedExit((code) => died.push(`${process.name} (exit ${code})`));

    const gatewayUrl = stack.gateway.url;
    const subgraph = stack.services.contracts!;
    const internalPorts = Object.values(stack.services).map((s) => s.port);
    const url = `${gatewayUrl}/graphql`;
    const context = await hostileContext(auth);
    const normalToken = context.tokens.ministry;

    console.log(
      `IES hostile benchmark: ${OPERATIONS} hostile operations (${Object.keys(KINDS).length} kinds, seed ${SEED}) at ${CONCURRENCY} concurrent clients, while one normal client runs a fixed query; Node ${process.version}; FerretDB 1.24.2 (${ferret.handler === 'sqlite' ? 'SQLite' : 'PostgreSQL + GIN'})`,
    );
    if (Object.keys(gatewayOverrides).length)
      console.log(`gateway settings: ${JSON.stringify(gatewayOverrides)}`);

    await normalClient(url, normalToken, () => false, 50); // warm-up
    const alone = await normalClient(url, normalToken, () => false, BASELINE_REQUESTS);

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
    let next = 0;
    let attackDone = false;
    const started = performance.now();
    let lastProgress = started;

    const attack = Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < plan.length) {
          const index = next++;
          const kind = plan[index]!;
          const raw = KINDS[kind]!(context, random);
          const outcome = await send(raw.target === 'subgraph' ? subgraph.url : gatewayUrl, raw);
          const statusKey = outcome.status === -1 ? 'connection closed' : String(outcome.status);
          statuses.set(statusKey, (statuses.get(statusKey) ?? 0) + 1);
          const kindStatuses = byKind.get(kind) ?? new Map<number, number>();
          kindStatuses.set(outcome.status, (kindStatuses.get(outcome.status) ?? 0) + 1);
          byKind.set(kind, kindStatuses);
          if (outcome.status >= 500)
            serverErrors.push(`${kind}: ${outcome.status} ${outcome.body.slice(0, 200)}`);
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
    const [underAttack] = await Promise.all([normalClient(url, normalToken, () => attackDone), attack]);
    const seconds = (performance.now() - started) / 1000;

    console.log(`\nhostile operations: ${OPERATIONS} in ${seconds.toFixed(1)} s`);
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
          .map(([status, count]) => `${status === -1 ? 'closed' : status} x${count}`)
          .join(', ')}`,
      );
    }
    const p = (sorted: number[], q: number) => (sorted.length ? percentile(sorted, q).toFixed(1) : 'n/a');
    console.log('\nnormal query | requests | failures | p50 ms | p99 ms');
    console.log(
      `alone | ${alone.latencies.length} | ${alone.failures} | ${p(alone.latencies, 50)} | ${p(alone.latencies, 99)}`,
    );
    console.log(
      `under attack | ${underAttack.latencies.length} | ${underAttack.failures} | ${p(underAttack.latencies, 50)} | ${p(underAttack.latencies, 99)}`,
    );
    const ratio = percentile(underAttack.latencies, 99) / percentile(alone.latencies, 99);
    // Still alive after the attack: every process answers its liveness probe.
    const live = await fetch(`${gatewayUrl}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (!live) died.push('gateway (no answer on /health/live)');

    console.log('\nfigure | measured | target');
    console.log(`5xx responses | ${serverErrors.length} | 0`);
    console.log(`responses leaking a path, stack trace, HTML or internal address | ${leaked.length} | 0`);
    console.log(`processes that died | ${died.length} | 0`);
    console.log(`normal p99 under attack / alone | ${ratio.toFixed(2)}x | <= 3x`);
    for (const line of serverErrors.slice(0, 10)) console.log(`  5xx: ${line}`);
    for (const line of leaked.slice(0, 10)) console.log(`  leak: ${line}`);
    for (const line of died) console.log(`  died: ${line}`);
    const met = serverErrors.length === 0 && leaked.length === 0 && died.length === 0 && ratio <= 3;
    console.log(`\ntargets ${met ? 'met' : 'NOT met'}`);
  } finally {
    await stack?.stop();
    await removeJobsData({ redisUrl: `${redis.url}/2`, prefix: queuePrefix });
    await ferret.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
