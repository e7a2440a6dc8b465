export { FERRETDB_VERSION, ensureFerretDbBinary } from './ferretdb-binary';
export {
  startFerretDb,
  waitForMongoPing,
  type FerretDbHandler,
  type FerretDbProcess,
  type FerretDbOptions,
} from './ferretdb-process';
export {
  FERRETDB_METADATA_TABLE,
  GIN_TRIGGER_NAME,
  GIN_TRIGGER_SQL,
  installGinIndexTrigger,
} from './ferretdb-gin-trigger';
export {
  startDocumentEngine,
  ferretDbHandlerFrom,
  type DocumentEngine,
  type DocumentEngineOptions,
} from './document-engine';
export { DEFAULT_POSTGRES_URL, ensurePostgres, pingPostgres, type PostgresEngine } from './postgres-engine';
export { ensurePostgresDatabase, dropPostgresDatabase, postgresDatabaseUrl } from './postgres-database';
export { ensureRedis, type RedisEngine } from './redis-engine';
export { freePort } from './free-port';
export { repoRoot } from './repo-root';
