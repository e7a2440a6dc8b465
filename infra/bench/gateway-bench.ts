/**
 * `npm run bench`: latency and throughput of representative operations through the gateway, and the
 * memory of each process afterwards. Starts engines and processes of its own on free ports (loopback
 * only), sends a bounded number of requests, prints its figures and stops everything.
 *
 *   BENCH_REQUESTS=400 BENCH_CONCURRENCY=1,10 npm run bench
 *   FERRETDB_HANDLER=sqlite npm run bench      # the engine before ADR 0008
 *
 * BENCH_CONCURRENCY is a comma-separated list of concurrency levels (connections in flight).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRedis, ferretDbHandlerFrom, freePort, startDocumentEngine } from '@ies/engines';
import { removeJobsData } from '@ies/jobs';
import { startStackProcesses, type StackProcesses } from '@ies/service-launcher';
import { testAuth } from '@ies/testkit';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,10').split(',').map(Number);
if (CONCURRENCY.some((c) => !Number.isInteger(c) || c < 1)) {
  throw new Error(
    `BENCH_CONCURRENCY must list positive integers, e.g. 1,10 (got ${process.env.BENCH_CONCURRENCY})`,
  );
}

const OPERATIONS = {
  'public catchment list (1 subgraph)': {
    token: false,
    query: `{ catchmentAreas(first: 15) { totalCount edges { node { id name phase period serviceSystemManager { organizationName } } } } }`,
  },
  'catchment network, ministry (2 subgraphs)': {
    token: true,
    query: `{ catchmentArea(id: "durham") { name serviceSystemManager { organizationName } contract { funding { total } targets { label value } } providers { organizationName sites { community } } agreements { id provider { organizationName } programs { name } funding { total } } } }`,
  },
  'all agreements with catchment names, ministry (entity fan-out)': {
    token: true,
    query: `{ providerAgreements(first: 100) { totalCount edges { node { id catchment { name phase } provider { organizationName } } } } }`,
  },
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const rssMb = (pid: number) => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return line ? (Number(line.replace(/\D+/g, '')) / 1024).toFixed(0) : '?';
};

async function run(
  url: string,
  query: string,
  token: string | undefined,
  requests: number,
  concurrency: number,
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const body = JSON.stringify({ query });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        const t0 = performance.now();
        const response = await fetch(url, { method: 'POST', headers, body });
        const json = (await response.json()) as { errors?: unknown[] };
        latencies.push(performance.now() - t0);
        if (!response.ok || json.errors) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ies-bench-'));
  let stack: StackProcesses | undefined;
  const ferret = await startDocumentEngine({
    port: await freePort(),
    handler: ferretDbHandlerFrom(),
    postgresUrl: process.env.FERRETDB_POSTGRESQL_URL,
    databaseName: `ies_bench_${process.pid}`,
    dropDatabaseOnStop: true,
    postgresDataDir: join(dir, 'postgresql'),
    sqliteDir: join(dir, 'ferretdb'),
  });
  const redis = await ensureRedis({ dataDir: join(dir, 'redis') });
  const queuePrefix = `bench-${process.pid}`;
  try {
    const auth = await testAuth();
    const keyFile = join(dir, 'jwt.pem');
    writeFileSync(keyFile, auth.keys.publicKeyPem);
    stack = await startStackProcesses({
      mongoUri: ferret.uri,
      redisUrl: `${redis.url}/2`,
      queuePrefix,
      internalSecret: auth.internalSecret,
      databaseName: (service) => `bench_${service.name}`,
      env: { LOG_LEVEL: 'info' },
      gatewayEnv: {
        JWT_PUBLIC_KEY_FILE: keyFile,
        JWT_ISSUER: auth.settings.issuer,
        JWT_AUDIENCE: auth.settings.audience,
      },
    });
    const { gateway } = stack;
    const token = await auth.token('MINISTRY');
    const url = `${gateway.url}/graphql`;

    console.log(
      `IES gateway benchmark: ${REQUESTS} requests per row after 50 warm-up requests; Node ${process.version}; FerretDB 1.24.2 (${ferret.handler === 'sqlite' ? 'SQLite' : 'PostgreSQL + GIN'})`,
    );
    console.log('operation | concurrency | req/s | p50 ms | p95 ms | p99 ms | errors');
    for (const [name, op] of Object.entries(OPERATIONS)) {
      await run(url, op.query, op.token ? token : undefined, 50, 4);
      for (const concurrency of CONCURRENCY) {
        const r = await run(url, op.query, op.token ? token : undefined, REQUESTS, concurrency);
        console.log(
          `${name} | ${concurrency} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors}`,
        );
      }
    }
    console.log(
      `RSS after the run: ${[...stack.all]
        .reverse()
        .map((p) => `${p.name} ${rssMb(p.child.pid!)} MB`)
        .join(', ')}, FerretDB ${rssMb(ferret.pid)} MB`,
    );
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
