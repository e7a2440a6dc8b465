import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GATEWAY, REDIS_VARIABLES, SERVICES, type ServiceEntry } from '../src';

const root = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

/** Every variable the registry says a service's processes read. */
const variablesOf = (service: ServiceEntry) => [
  service.database.variable,
  ...Object.keys(service.needs.subgraphUrls ?? {}),
  ...(service.needs.redis ? Object.values(REDIS_VARIABLES) : []),
];

describe('Service registry', () => {
  it('names each service once, each after the services whose URL it needs', () => {
    const names = SERVICES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    SERVICES.forEach((service, index) => {
      for (const dependency of Object.values(service.needs.subgraphUrls ?? {}))
        expect(names.slice(0, index)).toContain(dependency);
    });
  });

  it.each(SERVICES.map((s) => [s.name, s] as const))('points %s at files that exist', (_name, service) => {
    for (const path of [
      service.api.entry,
      service.worker?.entry,
      service.seed.module,
      service.indexes.module,
    ]) {
      if (path) expect(existsSync(join(root, path))).toBe(true);
    }
    const sdl = (readdirSync(join(root, service.sdlDir), { recursive: true }) as string[]).filter((f) =>
      f.endsWith('.graphql'),
    );
    expect(sdl.length).toBeGreaterThan(0);
    expect(read(service.seed.module)).toContain(`export async function ${service.seed.export}(`);
    expect(read(service.indexes.module)).toContain(`export async function ${service.indexes.export}(`);
  });

  describe('against docker-compose.yml', () => {
    it.each(SERVICES.map((s) => [s.name, s] as const))(
      'runs %s with its database, its needs, and its worker as a process of its own',
      (_name, service) => {
        const processes = [service.name, ...(service.worker ? [`${service.name}-worker`] : [])];
        for (const name of processes) {
          const composed = compose.services[name];
          expect(composed).toBeDefined();
          expect(composed!.environment?.[service.database.variable]).toBe(service.database.defaultName);
          for (const variable of variablesOf(service)) expect(composed!.environment).toHaveProperty(variable);
        }
        expect(compose.services[service.name]!.command?.join(' ')).toContain(
          service.api.entry.replace('/src/', '/dist/').replace(/\.ts$/, '.js'),
        );
        if (service.worker) {
          const worker = compose.services[`${service.name}-worker`]!;
          expect(worker.image).toBe(compose.services[service.name]!.image);
          expect(worker.command?.join(' ')).toContain(
            service.worker.entry.replace('/src/', '/dist/').replace(/\.ts$/, '.js'),
          );
        }
      },
    );

    it('gives the gateway every subgraph URL variable', () => {
      const gateway = compose.services.gateway!;
      for (const service of SERVICES)
        expect(gateway.environment?.[service.gatewayUrlVariable]).toBe(
          `http://${service.name}:${service.api.defaultPort}/graphql`,
        );
    });
  });

  it.each(SERVICES.filter((s) => s.queues).map((s) => [s.name, s] as const))(
    "names only queues %s's sources create",
    (_name, service) => {
      const dir = join(root, service.sdlDir);
      const sources = (readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts') && !f.includes('generated'))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('\n');
      for (const queue of service.queues!) {
        const ownSync =
          queue === `${service.name}-catchment-period-sync` && sources.includes('startCatchmentSyncJob');
        expect(ownSync || sources.includes(`'${queue}'`)).toBe(true);
      }
    },
  );

  it('gives each queue one owner', () => {
    const queues = SERVICES.flatMap((s) => s.queues ?? []);
    expect(new Set(queues).size).toBe(queues.length);
  });

  it('keeps development-only settings out of docker-compose.yml, where they are off', () => {
    for (const service of SERVICES) {
      for (const variable of Object.keys(service.devEnv ?? {})) {
        for (const name of [service.name, `${service.name}-worker`]) {
          const value = compose.services[name]?.environment?.[variable];
          expect(value === undefined || value === 'false').toBe(true);
        }
      }
    }
  });

  it("lists every variable it names in the README's configuration table", () => {
    const table = read('README.md')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .join('\n');
    const variables = [
      GATEWAY.portVariable,
      ...SERVICES.flatMap((s) => [
        s.api.portVariable,
        s.gatewayUrlVariable,
        ...variablesOf(s),
        ...Object.keys(s.devEnv ?? {}),
      ]),
    ];
    for (const variable of variables) expect(table).toContain(`\`${variable}\``);
  });
});
