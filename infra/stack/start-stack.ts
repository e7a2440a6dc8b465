/**
 * `npm start`: brings the whole stack up on the embedded default.
 *
 * FerretDB on PostgreSQL (database ies_ferretdb on the server at FERRETDB_POSTGRESQL_URL, or on a
 * private server started in .data/postgresql when nothing answers there; FERRETDB_HANDLER=sqlite keeps
 * the old SQLite backend in .data/ferretdb), Redis (the one on 127.0.0.1:6379, or one started here),
 * the seeded databases, every subgraph and the gateway. Ctrl-C / SIGTERM stops everything it started,
 * in reverse order. Set MONGODB_URI to use a real MongoDB instead of the embedded FerretDB.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDevKeys } from '@ies/auth';
import { connectDatabase } from '@ies/db';
import { ensureRedis, ferretDbHandlerFrom, repoRoot, startDocumentEngine } from '@ies/engines';
import { seedCatchments } from '../../services/catchments/src/seed/seed-catchments';
import { ensureIndexes as ensureCatchmentIndexes } from '../../services/catchments/src/server';
import { seedContracts } from '../../services/contracts/src/seed/seed-contracts';
import { ensureIndexes as ensureContractIndexes } from '../../services/contracts/src/server';
import { startService, type ServiceProcess } from './service-process';

const root = repoRoot(__dirname);
const dataDir = join(root, '.data');
const env = process.env;
const say = (line: string) => process.stdout.write(`[stack] ${line}\n`);

function internalSecret(): string {
  if (env.INTERNAL_SIGNING_SECRET) return env.INTERNAL_SIGNING_SECRET;
  const file = join(dataDir, 'dev-keys', 'internal-secret');
  if (!existsSync(file)) {
    mkdirSync(join(dataDir, 'dev-keys'), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

async function main() {
  const started = Date.now();
  const stoppers: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const keys = await ensureDevKeys(join(dataDir, 'dev-keys'));
    const secret = internalSecret();

    const redisPort = Number(env.REDIS_PORT ?? 6379);
    const redis = await ensureRedis({ port: redisPort, dataDir: join(dataDir, 'redis'), log: say });
    stoppers.push(() => redis.stop());
    say(`redis     ${redis.url}${redis.started ? ' (started here)' : ' (already running)'}`);

    let mongoUri = env.MONGODB_URI;
    if (!mongoUri) {
      const documents = await startDocumentEngine({
        port: Number(env.FERRETDB_PORT ?? 27018),
        handler: ferretDbHandlerFrom(env),
        postgresUrl: env.FERRETDB_POSTGRESQL_URL,
        databaseName: env.FERRETDB_POSTGRESQL_DB ?? 'ies_ferretdb',
        postgresDataDir: join(dataDir, 'postgresql'),
        sqliteDir: join(dataDir, 'ferretdb'),
        log: say,
      });
      stoppers.push(() => documents.stop());
      mongoUri = documents.uri;
      if (documents.postgres) {
        const { engine, databaseName, databaseUrl } = documents.postgres;
        say(`postgresql ${databaseUrl}${engine.started ? ' (started here)' : ' (already running)'}`);
        say(`ferretdb  ${mongoUri} (PostgreSQL backend, database ${databaseName})`);
      } else {
        say(`ferretdb  ${mongoUri} (SQLite in .data/ferretdb, FERRETDB_HANDLER=sqlite)`);
      }
    } else {
      say(`mongodb   ${mongoUri} (MONGODB_URI)`);
    }

    const catchmentsDb = env.CATCHMENTS_DB_NAME ?? 'ies_catchments';
    const connection = await connectDatabase({ uri: mongoUri, dbName: catchmentsDb });
    await ensureCatchmentIndexes(connection);
    const seeded = await seedCatchments(connection);
    await connection.close();
    say(
      `seeded    catchments: ${seeded.catchmentsInserted} inserted, ${seeded.managersInserted} SSMs inserted (existing records untouched)`,
    );

    const contractsDb = env.CONTRACTS_DB_NAME ?? 'ies_contracts';
    const contractsConnection = await connectDatabase({ uri: mongoUri, dbName: contractsDb });
    await ensureContractIndexes(contractsConnection);
    const contractsSeeded = await seedContracts(contractsConnection);
    await contractsConnection.close();
    say(
      `seeded    contracts: ${contractsSeeded.programsInserted} programs, ${contractsSeeded.providersInserted} providers, ${contractsSeeded.contractsInserted} contracts, ${contractsSeeded.agreementsInserted} agreements inserted`,
    );

    const common = {
      MONGODB_URI: mongoUri,
      INTERNAL_SIGNING_SECRET: secret,
      LOG_LEVEL: env.LOG_LEVEL ?? 'info',
    };
    const services: ServiceProcess[] = [];
    const catchments = await startService('catchments', 'services/catchments/src/main.ts', {
      ...common,
      PORT: env.CATCHMENTS_PORT ?? '4001',
      CATCHMENTS_DB_NAME: catchmentsDb,
    });
    services.push(catchments);
    stoppers.push(() => catchments.stop());

    const contracts = await startService('contracts', 'services/contracts/src/main.ts', {
      ...common,
      PORT: env.CONTRACTS_PORT ?? '4002',
      CONTRACTS_DB_NAME: contractsDb,
      CATCHMENTS_SUBGRAPH_URL: `${catchments.url}/graphql`,
      REDIS_URL: redis.url,
    });
    services.push(contracts);
    stoppers.push(() => contracts.stop());

    const gateway = await startService('gateway', 'gateway/src/main.ts', {
      ...common,
      PORT: env.GATEWAY_PORT ?? '4000',
      CATCHMENTS_URL: `${catchments.url}/graphql`,
      CONTRACTS_URL: `${contracts.url}/graphql`,
      JWT_PUBLIC_KEY_FILE: env.JWT_PUBLIC_KEY_FILE ?? keys.publicKeyPath,
    });
    services.push(gateway);
    stoppers.push(() => gateway.stop());

    for (const service of services) {
      service.onUnexpectedExit((code) => {
        say(`${service.name} exited unexpectedly (code ${code}); stopping the stack`);
        void stopAll(1);
      });
    }
    say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    say(`gateway   ${gateway.url}/graphql   (health: ${gateway.url}/health/ready)`);
    for (const service of services.filter((s) => s !== gateway))
      say(`${service.name.padEnd(9)} ${service.url}/graphql (gateway-signed requests only)`);
    say('token     npm run token -- --role MINISTRY   (roles: MINISTRY, SSM, PROVIDER, PARTNER, PUBLIC)');
    say('Ctrl-C stops everything.');
  } catch (error) {
    say(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}

void main();
