import type { SubgraphContext } from '@ies/subgraph-kit';
import type { WebhookDeliveryService } from './delivery/webhook-delivery.service';
import type { WebhookEndpointService } from './endpoint/webhook-endpoint.service';

export interface WebhooksServices {
  endpoints: WebhookEndpointService;
  deliveries: WebhookDeliveryService;
}

export interface WebhooksContext extends SubgraphContext {
  services: WebhooksServices;
}
