/**
 * `npm start`: brings the whole stack up on the embedded default.
 *
 * FerretDB on PostgreSQL (database ies_ferretdb on the server at FERRETDB_POSTGRESQL_URL, or on a
 * private server started in .data/postgresql when nothing answers there; FERRETDB_HANDLER=sqlite keeps
 * the old SQLite backend in .data/ferretdb), Redis (the one on 127.0.0.1:6379, or one started here),
 * the seeded databases, every subgraph and the gateway, each supervised (restarted with backoff when
 * it dies). Ctrl-C / SIGTERM stops everything it started, in reverse order. Set MONGODB_URI to use a real MongoDB instead of the embedded FerretDB.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDevKeys } from '@ies/auth';
import { ensureRedis, ferretDbHandlerFrom, repoRoot, startDocumentEngine } from '@ies/engines';
import type { ServiceProcess, Supervisor } from '@ies/service-launcher';
import { startRegisteredServices } from './start-registered-services';

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
  let supervisors: Supervisor<ServiceProcess>[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    // Nothing is restarted from here on, whatever exits first (a Ctrl-C reaches every process).
    for (const supervisor of supervisors) supervisor.standDown();
    // Reverse start order: the services (gateway first, then the rest at once), FerretDB, Redis.
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

    const stack = await startRegisteredServices({
      mongoUri,
      redisUrl: redis.url,
      internalSecret: secret,
      jwtPublicKeyFile: env.JWT_PUBLIC_KEY_FILE ?? keys.publicKeyPath,
      stoppers,
      say,
    });

    // A process that dies is restarted by its supervisor (which says why); the others keep serving.
    // Only a gateway that cannot be kept up ends the stack: nothing could be served without it.
    const { services, gateway } = stack;
    supervisors = Object.values(stack.supervisors);
    const gatewaySupervisor = stack.supervisors[gateway.name];
    gatewaySupervisor?.on('gave up', () => {
      say('the gateway cannot be kept up; stopping the stack');
      void stopAll(1);
    });
    gatewaySupervisor?.on('exited cleanly', () => {
      say('the gateway was stopped; stopping the stack');
      void stopAll(0);
    });
    say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    say(`gateway   ${gateway.url}/graphql   (health: ${gateway.url}/health/ready)`);
    for (const service of services.filter((s) => s !== gateway))
      say(
        `${service.name.padEnd(9)} ${'url' in service ? `${service.url}/graphql (gateway-signed requests only)` : '(worker: jobs and events relay, no HTTP)'}`,
      );
    say('token     npm run token -- --role MINISTRY   (roles: MINISTRY, SSM, PROVIDER, PARTNER, PUBLIC)');
    say('Ctrl-C stops everything.');
  } catch (error) {
    say(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}

void main();
