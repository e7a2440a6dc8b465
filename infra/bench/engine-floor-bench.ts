/**
 * `npm run bench:engine-floor`: what the embedded engine alone (FerretDB 1.24.2 on PostgreSQL) costs
 * for the engine work of one `bench:events` amendment and its webhook delivery, with no gateway, no
 * subgraph server, no worker and no Redis: the floor under the events benchmark on this machine.
 *
 * One process drives the same code the stack runs, through the MongoDB driver:
 * - the contracts service's change log amends an agreement's targets (`ChangeLog.change`: the latest
 *   state, the record's unique insert, the projection, the look for a newer record, and the mark by
 *   `_id` a writer makes after publishing its record; a publisher that reports "published" stands in
 *   for the Redis stream);
 * - the webhooks service stores the event and inserts its delivery row (`StoredEvents`, the same
 *   coalesced inserts), then records a successful attempt with the update a delivery makes.
 * Left out, so the figures are a lower bound: the endpoint reads (about 0.4 per delivery in the
 *   stack), the subscription's reads, what the subgraphs read to answer the mutation, the relays'
 *   polls of their outboxes and the webhooks worker's sweeps.
 *
 * For each rate it sends amendments on schedule, one in flight per agreement (49 agreements that can
 * be amended, as in `bench:events`): when all are busy the next waits, so the accepted rate falls
 * below the rate asked, and that wait is not in the latencies (measured from when the amendment
 * starts). It prints what was accepted, the engine path's latency, and the CPU it took per amendment
 * by process (FerretDB, the PostgreSQL backends of its database, this benchmark). Not a test: nothing
 * asserts on these figures.
 *
 *   ENGINE_FLOOR_RATES=50,100 ENGINE_FLOOR_SECONDS=20 npm run bench:engine-floor
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { attachRecordPublisher } from '@ies/change-log';
import { coalescedInserts, connectDatabase } from '@ies/db';
import { freePort, startDocumentEngine } from '@ies/engines';
import type { ProviderAgreementDoc } from '@ies/contracts/src/agreement/provider-agreement.model';
import { changeLogs, ensureIndexes as ensureContractsIndexes } from '@ies/contracts/src/server';
import { seedContracts } from '@ies/contracts/src/seed/seed-contracts';
import { newDeliveryId, webhookDeliveryModel } from '@ies/webhooks/src/delivery/webhook-delivery.model';
import { storedEventModel } from '@ies/webhooks/src/events/stored-event.model';
import { StoredEvents } from '@ies/webhooks/src/events/stored-events';
import { ensureIndexes as ensureWebhooksIndexes } from '@ies/webhooks/src/server';
import { keyPool } from './key-pool';
import { cpuSnapshot, describeCpu } from './process-cpu';

const RATES = (process.env.ENGINE_FLOOR_RATES ?? '50,100').split(',').map(Number);
const SECONDS = Number(process.env.ENGINE_FLOOR_SECONDS ?? 20);
const AGREEMENTS = 49;
const ACTOR = { subject: 'engine-floor-bench', role: 'MINISTRY' };

const say = (line: string) => console.log(line);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One amendment's engine work in the stack: the change, then its event's intake and delivery. */
function amendment(contracts: Connection, webhooks: Connection) {
  const agreements = changeLogs(contracts).agreements;
  const events = new StoredEvents(storedEventModel(webhooks));
  const deliveries = webhookDeliveryModel(webhooks);
  const insertDelivery = coalescedInserts(deliveries);
  return async (agreementId: string, i: number): Promise<void> => {
    const targets = [{ fiscalYear: 2025, quarter: 1 + (i % 4), measure: 'CLIENTS_SERVED', value: i }];
    const outcome = await agreements.change(
      ACTOR,
      agreementId,
      { reason: 'Engine floor benchmark' },
      (doc: ProviderAgreementDoc) => ({
        kind: 'TARGETS',
        before: { targets: doc.targets },
        after: { targets },
        set: { targets } as Partial<ProviderAgreementDoc>,
        events: [
          {
            type: 'AgreementAmended',
            catchmentId: doc.catchmentId,
            data: { providerId: doc.providerId, kind: 'TARGETS' },
          },
        ],
      }),
    );
    if (outcome.status !== 'applied') throw new Error(`amendment of ${agreementId}: ${outcome.status}`);
    const event = outcome.record.events[0]!;
    const receivedAt = new Date();
    await events.store({
      _id: event.id,
      type: event.type,
      catchmentId: event.catchmentId ?? null,
      occurredAt: new Date(event.occurredAt),
      service: 'contracts',
      body: JSON.stringify(event),
      receivedAt,
    });
    const id = newDeliveryId(receivedAt);
    await insertDelivery({
      _id: id,
      jobId: `floor-endpoint:${event.id}:live`,
      endpointId: 'floor-endpoint',
      eventId: event.id,
      eventType: event.type,
      replayOf: null,
      state: 'PENDING',
      attempts: [],
      createdAt: receivedAt,
      finishedAt: null,
    });
    const attempt = { at: new Date(), status: 204, latencyMs: 1, responseExcerpt: '', error: null };
    const updated = await deliveries.updateOne(
      { _id: id, state: 'PENDING' },
      { $push: { attempts: attempt }, $set: { state: 'SUCCEEDED', finishedAt: new Date() } },
    );
    if (updated.matchedCount !== 1) throw new Error(`delivery ${id} was not pending`);
  };
}

/** Sends `rate` amendments a second for `seconds`, one in flight per agreement; answers the latencies. */
async function atRate(
  ids: string[],
  rate: number,
  seconds: number,
  run: (id: string, i: number) => Promise<void>,
): Promise<{ latencies: number[]; failed: string[]; elapsed: number }> {
  const { take, give } = keyPool(ids);
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const failed: string[] = [];
  const inFlight: Promise<void>[] = [];
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const id = await take();
    const t0 = performance.now();
    inFlight.push(
      run(id, i)
        .then(() => void latencies.push(performance.now() - t0))
        .catch((error: unknown) => void failed.push(error instanceof Error ? error.message : String(error)))
        .finally(() => give(id)),
    );
  }
  await Promise.all(inFlight);
  return { latencies: latencies.sort((a, b) => a - b), failed, elapsed: (Date.now() - started) / 1000 };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ies-engine-floor-'));
  const databaseName = `ies_engine_floor_${process.pid}`;
  say(
    `IES engine floor: the engine work of one bench:events amendment and its delivery, driven from one process; FerretDB 1.24.2 on PostgreSQL; Node ${process.version}`,
  );
  const engine = await startDocumentEngine({
    port: await freePort(),
    handler: 'postgresql',
    postgresUrl: process.env.FERRETDB_POSTGRESQL_URL,
    databaseName,
    dropDatabaseOnStop: true,
    postgresDataDir: join(dir, 'postgresql'),
    sqliteDir: join(dir, 'sqlite'), // unused on PostgreSQL
  });
  const contracts = await connectDatabase({ uri: engine.uri, dbName: 'floor_contracts' });
  const webhooks = await connectDatabase({ uri: engine.uri, dbName: 'floor_webhooks' });
  try {
    await ensureContractsIndexes(contracts);
    await ensureWebhooksIndexes(webhooks);
    await seedContracts(contracts);
    // As in the stack when its stream is up: the writer publishes its own record, then marks it by _id.
    attachRecordPublisher(contracts, async () => true);
    const ids = (
      await contracts
        .collection('provider_agreements')
        .find({ status: { $nin: ['CLOSED', 'TERMINATED', 'EXPIRED'] } }, { projection: { _id: 1 } })
        .limit(AGREEMENTS)
        .toArray()
    ).map((doc) => String(doc._id));
    if (ids.length < AGREEMENTS) throw new Error(`only ${ids.length} agreements that can be amended`);
    const run = amendment(contracts, webhooks);
    await atRate(ids, 10, 3, run); // warm-up: connections, plans, caches
    say('rate asked | accepted | amendments | failed | p50 ms | p95 ms | p99 ms');
    const cpuLines: string[] = [];
    for (const rate of RATES) {
      const before = cpuSnapshot(databaseName, "benchmark (the engine's only client)");
      const { latencies, failed, elapsed } = await atRate(ids, rate, SECONDS, run);
      const after = cpuSnapshot(databaseName, "benchmark (the engine's only client)");
      say(
        `${rate}/s | ${(latencies.length / elapsed).toFixed(1)}/s | ${latencies.length} | ${failed.length} | ${percentile(latencies, 50).toFixed(0)} | ${percentile(latencies, 95).toFixed(0)} | ${percentile(latencies, 99).toFixed(0)}`,
      );
      for (const reason of new Set(failed)) say(`  failed: ${reason.slice(0, 200)}`);
      cpuLines.push(`\nat ${rate}/s asked:`, ...describeCpu(before, after, latencies.length, 'amendment'));
    }
    for (const line of cpuLines) say(line);
  } finally {
    await contracts.close();
    await webhooks.close();
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
