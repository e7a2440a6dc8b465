/**
 * `npm run bench:webhook-connections`: what a webhook delivery costs over HTTPS with a new connection
 * each (a TLS handshake per delivery, as before deliveries kept their connections) and on a kept one,
 * through the delivery's own POST (`postTo`: pinned address, read limit, deadline).
 *
 * A receiver on loopback (its own process, a self-signed certificate made with `openssl`, trusted
 * through NODE_EXTRA_CA_CERTS in a second run of this script) answers 204; it closes every connection after its answer in the first
 * run (a partner that keeps none: each delivery connects anew) and keeps them in the second. Prints
 * the deliveries' wall time and the CPU each side spent per delivery.
 *
 *   WEBHOOK_BENCH_DELIVERIES=2000 npm run bench:webhook-connections
 */
import { execFileSync, fork, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postTo } from '../../services/webhooks/src/outbound/outbound-post';

const DELIVERIES = Number(process.env.WEBHOOK_BENCH_DELIVERIES ?? 1000);
const BODY = JSON.stringify({
  id: '7d6c0b7e-3f7e-4d1a-9b0e-0f3c2b1a9d8e',
  type: 'AgreementAmended',
  occurredAt: new Date().toISOString(),
  catchmentId: 'peel',
  subject: { typename: 'ProviderAgreement', id: 'agr-sp-peel-1-2025-04-01' },
  data: { providerId: 'sp-peel-1', kind: 'TARGETS' },
  version: 12,
});

type Usage = { user: number; system: number };
const cpuMs = (from: Usage, to: Usage) => (to.user + to.system - from.user - from.system) / 1000;

/** The receiver: its own process, so that its CPU is counted apart. */
function receiver(dir: string) {
  const server = createServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (request, response) => {
      request.resume();
      request.on('end', () => {
        if (process.env.KEEP !== '1') response.setHeader('connection', 'close');
        response.writeHead(204).end();
      });
    },
  );
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
  process.on('message', () => process.send!({ cpu: process.cpuUsage() }));
}

const ask = <T>(child: ChildProcess, message?: string) =>
  new Promise<T>((resolve) => {
    child.once('message', (answer) => resolve(answer as T));
    if (message !== undefined) child.send(message);
  });

async function run(dir: string, keep: boolean) {
  const child = fork(__filename, ['--receiver', dir], {
    env: { ...process.env, KEEP: keep ? '1' : '0' },
    execArgv: process.execArgv,
  });
  const { port } = await ask<{ port: number }>(child);
  const target = {
    url: new URL(`https://localhost:${port}/hooks`),
    address: '127.0.0.1',
    family: 4 as const,
  };
  const receiverBefore = (await ask<{ cpu: Usage }>(child, 'cpu')).cpu;
  const before = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < DELIVERIES; i++) {
    const outcome = await postTo(target, BODY, { 'webhook-id': String(i) }, 10_000);
    if (outcome.kind !== 'response' || outcome.status !== 204)
      throw new Error(`delivery ${i}: ${JSON.stringify(outcome)}`);
  }
  const wall = performance.now() - started;
  const client = cpuMs(before, process.cpuUsage());
  const server = cpuMs(receiverBefore, (await ask<{ cpu: Usage }>(child, 'cpu')).cpu);
  child.kill();
  console.log(
    `${keep ? 'kept connection      ' : 'new connection each  '} | ${DELIVERIES} | ${(wall / DELIVERIES).toFixed(2)} | ${(client / DELIVERIES).toFixed(2)} | ${(server / DELIVERIES).toFixed(2)}`,
  );
}

async function main() {
  if (!process.env.WEBHOOK_BENCH_CERT_DIR) {
    // The certificate must be trusted from the start of the process: make it, then run again with it.
    if (spawnSync('sh', ['-c', 'command -v openssl']).status !== 0)
      throw new Error('this benchmark needs the openssl command (apt-get install openssl)');
    const dir = mkdtempSync(join(tmpdir(), 'ies-webhook-connections-'));
    try {
      execFileSync(
        'openssl',
        [
          ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
          ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1'],
          ...['-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'],
        ],
        { stdio: 'ignore' },
      );
      const again = spawnSync(process.execPath, [...process.execArgv, __filename], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'), WEBHOOK_BENCH_CERT_DIR: dir },
        stdio: 'inherit',
      });
      process.exitCode = again.status ?? 1;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const dir = process.env.WEBHOOK_BENCH_CERT_DIR;
  console.log(`IES webhook connections benchmark: Node ${process.version}, HTTPS on loopback (ECDSA P-256)`);
  console.log(
    'connections           | deliveries | wall ms each | POSTing side CPU ms each | receiver CPU ms each',
  );
  await run(dir, false);
  await run(dir, true);
}

if (process.argv[2] === '--receiver') receiver(process.argv[3]!);
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
