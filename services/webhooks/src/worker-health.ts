import { createHealthServer, type ServerHandle } from '@ies/http-kit';
import type { Jobs } from '@ies/jobs';
import type { Connection } from 'mongoose';

type Dependency = 'up' | 'down';

const state = (check: Promise<unknown>): Promise<Dependency> =>
  check.then(
    () => 'up',
    () => 'down',
  );

/**
 * The webhooks worker's `/health/live` and `/health/ready` (as the contracts worker's): ready when
 * MongoDB and Redis answer; the body names the dependency that does not.
 */
export function createWorkerHealth(deps: {
  service: string;
  connection: Connection;
  jobs: Pick<Jobs, 'checkRedis'>;
}): ServerHandle {
  return createHealthServer({
    service: deps.service,
    readiness: async () => {
      const [mongodb, redis] = await Promise.all([
        state(deps.connection.db!.admin().command({ ping: 1 })),
        state(deps.jobs.checkRedis()),
      ]);
      return { ready: mongodb === 'up' && redis === 'up', detail: { dependencies: { mongodb, redis } } };
    },
  });
}
