export {
  WORKER_READY_MESSAGE,
  describeExit,
  startServerProcess,
  startWorkerProcess,
  type LogLine,
  type ProcessExit,
  type ServerProcess,
  type ServiceProcess,
  type StartOptions,
} from './service-process';
export { loadServiceHooks, type SeedResult, type ServiceHooks } from './service-hooks';
export { prepareServiceDatabase } from './prepare-database';
export { serviceEnv, type EnvContext } from './service-env';
export {
  DEFAULT_RESTART_POLICY,
  decideRestart,
  isFailure,
  restartDelayMs,
  type RestartDecision,
  type RestartPolicy,
} from './restart-policy';
export { Supervisor, supervisedHandle, type SupervisedExit, type SupervisorOptions } from './supervisor';
export {
  startStackProcesses,
  stopProcesses,
  type StackProcessOptions,
  type StackProcesses,
  type SupervisionOptions,
} from './start-stack-processes';
