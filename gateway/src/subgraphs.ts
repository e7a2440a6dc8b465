import { SERVICES, defaultSubgraphUrl } from '@ies/service-registry';

/** The subgraphs composed into the supergraph, with the variable that points the gateway at each. */
export interface SubgraphEntry {
  name: string;
  /** Folder of the service's sources, holding its `*.graphql` files. */
  sourceDir: string;
  urlVariable: string;
  defaultUrl: string;
}

/** Read from the service registry: a registered service is a subgraph of the gateway. */
export const SUBGRAPHS: SubgraphEntry[] = SERVICES.map((service) => ({
  name: service.name,
  sourceDir: service.sdlDir,
  urlVariable: service.gatewayUrlVariable,
  defaultUrl: defaultSubgraphUrl(service),
}));
