export {
  WORKER_READY_MESSAGE,
  startServerProcess,
  startWorkerProcess,
  type LogLine,
  type ServerProcess,
  type ServiceProcess,
  type StartOptions,
} from './service-process';
export { loadServiceHooks, type SeedResult, type ServiceHooks } from './service-hooks';
export { prepareServiceDatabase } from './prepare-database';
export { serviceEnv, type EnvContext } from './service-env';
export { startStackProcesses, type StackProcessOptions, type StackProcesses } from './start-stack-processes';
