export { UnrecoverableError, type Job, type Queue, type Worker, type FlowProducer } from 'bullmq';
export { DEFAULT_JOB_OPTIONS } from './default-job-options';
export { jobLogger } from './job-logger';
export { createJobs, type Jobs, type JobsOptions, type Processor } from './create-jobs';
export { ensureJobSchedulers, keepJobSchedulers, type SchedulerDeclaration } from './ensure-job-schedulers';
export { removeJobsData, scanKeys } from './remove-jobs-data';
