import type { Principal } from '@ies/auth';
import type { Logger } from '@ies/logger';
import type { GatewayDeadline } from './request-deadline';

export interface GatewayContext extends GatewayDeadline {
  principal: Principal;
  requestId: string;
  logger: Logger;
  /**
   * Set on the gateway's own reads of a subscription's payload (ADR 0020): built from a subscription
   * document that was already checked against the trusted documents when it was subscribed.
   */
  subscriptionPayload?: boolean;
}
