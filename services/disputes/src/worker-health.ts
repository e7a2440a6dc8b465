import { createHealthServer, dependencyReadiness, type ServerHandle } from '@ies/http-kit';
import type { Jobs } from '@ies/jobs';
import type { Connection } from 'mongoose';

/**
 * The disputes worker's `/health/live` and `/health/ready` (as the contracts worker's): ready when
 * MongoDB and Redis answer; the body names the dependency that does not.
 */
export function createWorkerHealth(deps: {
  service: string;
  connection: Connection;
  jobs: Pick<Jobs, 'checkRedis'>;
}): ServerHandle {
  return createHealthServer({
    service: deps.service,
    readiness: dependencyReadiness({
      mongodb: () => deps.connection.db!.admin().command({ ping: 1 }),
      redis: () => deps.jobs.checkRedis(),
    }),
  });
}
