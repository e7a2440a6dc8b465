/** An entity another subgraph owns, as this subgraph holds it: its key only. */
export interface EntityReference {
  id: string;
}
