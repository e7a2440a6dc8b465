/** The subgraphs composed into the supergraph, with the variable that points the gateway at each. */
export interface SubgraphEntry {
  name: string;
  /** Folder of the service's sources, holding its `*.graphql` files. */
  sourceDir: string;
  urlVariable: string;
  defaultUrl: string;
}

export const SUBGRAPHS: SubgraphEntry[] = [
  {
    name: 'catchments',
    sourceDir: 'services/catchments/src',
    urlVariable: 'CATCHMENTS_URL',
    defaultUrl: 'http://127.0.0.1:4001/graphql',
  },
  {
    name: 'contracts',
    sourceDir: 'services/contracts/src',
    urlVariable: 'CONTRACTS_URL',
    defaultUrl: 'http://127.0.0.1:4002/graphql',
  },
];
