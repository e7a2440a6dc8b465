import type { Principal } from '@ies/auth';
import type { Logger } from '@ies/logger';

export interface GatewayContext {
  principal: Principal;
  requestId: string;
  logger: Logger;
}
