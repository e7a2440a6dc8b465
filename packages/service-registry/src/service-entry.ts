/** A named export of a module, by its path from the repository root (loaded only by tooling). */
export interface ModuleExport {
  module: string;
  export: string;
}

/** How one process listens: its entry point, default port and the `npm start` variable overriding it. */
export interface ProcessEntry {
  /** Path from the repository root of the `main.ts` that reads config and listens. */
  entry: string;
  defaultPort: number;
  /** Variable `npm start` reads for this process's port (the process itself reads `PORT`). */
  portVariable: string;
}

/** Everything the platform's tooling needs to know about one subgraph. */
export interface ServiceEntry {
  /** Subgraph name in the supergraph, compose service name, log `service`. */
  name: string;
  api: ProcessEntry;
  /** A separate worker process (`src/worker.ts`: BullMQ jobs and the events relay), scaled apart from the API. */
  worker?: { entry: string };
  database: { variable: string; defaultName: string };
  /** `(connection) => Promise<counts>`; inserts only what is absent. */
  seed: ModuleExport;
  /** `(connection) => Promise<void>`; creates collections and indexes, safe on every start. */
  indexes: ModuleExport;
  /** Folder holding the service's `*.graphql` files. */
  sdlDir: string;
  /** Variable giving the gateway this subgraph's URL. */
  gatewayUrlVariable: string;
  needs: {
    /** Variables holding another registered subgraph's URL: variable → service name (started earlier). */
    subgraphUrls?: Record<string, string>;
    /** Needs Redis (`REDIS_URL`, `QUEUE_PREFIX`) for BullMQ or the events relay. */
    redis?: boolean;
  };
  /**
   * The BullMQ queues its processes use, by name (the gateway's Bull Board shows every one). A test
   * checks each name against the service's sources.
   */
  queues?: string[];
  /**
   * Variables `npm start` and the test stacks give its processes: development settings whose
   * production defaults are the safe ones (docker-compose.yml leaves them unset or sets them false).
   */
  devEnv?: Record<string, string>;
  /** Typed resolvers (GraphQL Code Generator) written to `<sdlDir>/generated/resolvers-types.ts`. */
  codegen: {
    contextType: string;
    mappers: Record<string, string>;
    scalars: Record<string, string>;
  };
}

/** Variables a service that `needs.redis` reads. */
export const REDIS_VARIABLES = { url: 'REDIS_URL', queuePrefix: 'QUEUE_PREFIX' } as const;

/** The URL the gateway uses for a subgraph when its variable is unset (`npm start` defaults). */
export const defaultSubgraphUrl = (service: ServiceEntry): string =>
  `http://127.0.0.1:${service.api.defaultPort}/graphql`;
