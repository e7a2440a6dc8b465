import { FlowProducer, Queue, Worker, type DefaultJobOptions, type Job, type WorkerOptions } from 'bullmq';
import type { Logger } from '@ies/logger';
import { connectRedis, type Redis } from '@ies/redis';
import { DEFAULT_JOB_OPTIONS } from './default-job-options';
import { jobLogger } from './job-logger';

/** A processor receives its job and a logger whose lines carry the job id, queue and request id. */
export type Processor<Data, Result> = (job: Job<Data, Result>, log: Logger) => Promise<Result>;

export interface JobsOptions {
  redisUrl: string;
  /** BullMQ key prefix; use a hash tag (`{ies}`) on Redis Cluster, a unique name per test file. */
  prefix: string;
  logger: Logger;
  /** Overrides DEFAULT_JOB_OPTIONS for every queue this factory creates. */
  defaultJobOptions?: DefaultJobOptions;
}

export interface Jobs {
  readonly prefix: string;
  queue<Data = unknown, Result = unknown>(name: string): Promise<Queue<Data, Result>>;
  worker<Data = unknown, Result = unknown>(
    name: string,
    processor: Processor<Data, Result>,
    options?: Pick<WorkerOptions, 'concurrency' | 'autorun'>,
  ): Promise<Worker<Data, Result>>;
  flowProducer(): Promise<FlowProducer>;
  /** Closes every worker (letting running jobs finish), then queues and flow producers, then connections. */
  close(): Promise<void>;
}

/**
 * Queue, worker and flow-producer factories of one service on one Redis (connections from @ies/redis,
 * `maxRetriesPerRequest: null` as BullMQ requires). Queues are created once per name and shared.
 */
export function createJobs(options: JobsOptions): Jobs {
  const { prefix, logger } = options;
  const defaultJobOptions = { ...DEFAULT_JOB_OPTIONS, ...options.defaultJobOptions };
  const connections: Redis[] = [];
  const workers: Worker[] = [];
  const closables: { close(): Promise<void> }[] = [];
  const queues = new Map<string, Promise<Queue>>();
  const connect = async () => {
    const connection = await connectRedis({ url: options.redisUrl, maxRetriesPerRequest: null });
    connections.push(connection);
    return connection;
  };

  return {
    prefix,
    queue<Data, Result>(name: string) {
      let queue = queues.get(name);
      if (!queue) {
        queue = connect().then((connection) => {
          const created = new Queue(name, { connection, prefix, defaultJobOptions });
          closables.push(created);
          return created;
        });
        queues.set(name, queue);
      }
      return queue as unknown as Promise<Queue<Data, Result>>;
    },
    async worker<Data, Result>(
      name: string,
      processor: Processor<Data, Result>,
      workerOptions: Pick<WorkerOptions, 'concurrency' | 'autorun'> = {},
    ) {
      const worker = new Worker<Data, Result>(name, (job) => processor(job, jobLogger(logger, job)), {
        connection: await connect(),
        prefix,
        concurrency: 1,
        ...workerOptions,
      });
      worker.on('failed', (job, error) =>
        logger.warn(
          { jobId: job?.id, queue: name, attemptsMade: job?.attemptsMade, err: error },
          'job attempt failed',
        ),
      );
      worker.on('error', (error) => logger.error({ queue: name, err: error }, 'worker error'));
      workers.push(worker as unknown as Worker);
      return worker;
    },
    async flowProducer() {
      const flow = new FlowProducer({ connection: await connect(), prefix });
      closables.push(flow);
      return flow;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(closables.map((c) => c.close()));
      await Promise.all(connections.map((c) => c.quit()));
    },
  };
}
