import type { Principal } from '@ies/auth';
import type { Logger } from '@ies/logger';
import type { RequestDeadline } from './request-deadline';

/** What every resolver of every subgraph receives. Services extend it with their loaders. */
export interface SubgraphContext {
  principal: Principal;
  requestId: string;
  logger: Logger;
  /** When the work must stop (see request-deadline.ts); database queries are bounded by it too. */
  deadline: RequestDeadline;
}
