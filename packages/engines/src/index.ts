export { FERRETDB_VERSION, ensureFerretDbBinary } from './ferretdb-binary';
export {
  startFerretDb,
  waitForMongoPing,
  type FerretDbProcess,
  type FerretDbOptions,
} from './ferretdb-process';
export { ensureRedis, type RedisEngine } from './redis-engine';
export { freePort } from './free-port';
export { repoRoot } from './repo-root';
