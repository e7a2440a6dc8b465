import type { Principal } from '@ies/auth';
import type { Logger } from '@ies/logger';
import type { GatewayDeadline } from './request-deadline';

export interface GatewayContext extends GatewayDeadline {
  principal: Principal;
  requestId: string;
  logger: Logger;
}
