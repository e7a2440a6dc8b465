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
    /** `settings.backoffStrategy`: a custom backoff (a job's `backoff: { type }` names it). */
    options?: Pick<
      WorkerOptions,
      'concurrency' | 'autorun' | 'settings' | 'lockDuration' | 'stalledInterval'
    >,
  ): Promise<Worker<Data, Result>>;
  flowProducer(): Promise<FlowProducer>;
  /**
   * Calls `listener` each time a connection of this factory is back after Redis was lost (restarted,
   * failed over, unreachable for a while): what Redis held may be gone, schedulers first.
   */
  onReconnect(listener: () => void): void;
  /** Resolves when Redis answers on every connection of this factory; throws while any is down. */
  checkRedis(timeoutMs?: number): Promise<void>;
  /**
   * Closes every worker (letting running jobs finish), then queues and flow producers, then connections.
   * With Redis unreachable it does not wait for it: workers close at once and a running job is retried.
   */
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
  const reconnectListeners: (() => void)[] = [];
  let connecting = 0;
  let closing = false;

  /** Logs a lost connection once, and its return, which listeners hear of. */
  const watch = (connection: Redis) => {
    let lost = false;
    connection.on('close', () => {
      if (lost || closing) return;
      lost = true;
      logger.warn('Redis connection lost; reconnecting');
    });
    connection.on('ready', () => {
      if (!lost) return;
      lost = false;
      logger.info('Redis connection restored');
      for (const listener of reconnectListeners) listener();
    });
  };

  const connect = async () => {
    connecting += 1;
    try {
      const connection = await connectRedis({
        url: options.redisUrl,
        maxRetriesPerRequest: null,
        // The first failure, then one line in twenty: Redis may be down for a while at start.
        onRetry: (error, attempt) => {
          if (attempt % 20 === 1) logger.warn({ attempt, reason: error.message }, 'waiting for Redis');
        },
      });
      watch(connection);
      connections.push(connection);
      return connection;
    } finally {
      connecting -= 1;
    }
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
      workerOptions: Pick<
        WorkerOptions,
        'concurrency' | 'autorun' | 'settings' | 'lockDuration' | 'stalledInterval'
      > = {},
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
    onReconnect(listener) {
      reconnectListeners.push(listener);
    },
    async checkRedis(timeoutMs = 1_000) {
      if (connecting > 0 || connections.length === 0) throw new Error('Redis is not connected yet');
      const down = connections.find((c) => c.status !== 'ready');
      if (down) throw new Error(`Redis connection is ${down.status}`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis did not answer PING within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([Promise.all(connections.map((c) => c.ping())), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      closing = true;
      // With Redis unreachable a worker would wait for it forever: close at once, and let a job that was
      // running stall and be retried (delivery is at least once).
      const reachable = connections.every((c) => c.status === 'ready');
      if (!reachable) logger.warn('closing while Redis is unreachable: a running job will be retried');
      await Promise.all(workers.map((w) => w.close(!reachable)));
      await Promise.all(closables.map((c) => c.close()));
      await Promise.all(connections.map((c) => (c.status === 'ready' ? c.quit() : c.disconnect())));
    },
  };
}
