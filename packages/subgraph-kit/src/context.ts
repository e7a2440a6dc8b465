import type { Principal } from '@ies/auth';
import type { Logger } from '@ies/logger';

/** What every resolver of every subgraph receives. Services extend it with their loaders. */
export interface SubgraphContext {
  principal: Principal;
  requestId: string;
  logger: Logger;
}
