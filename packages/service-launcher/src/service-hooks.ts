import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { repoRoot } from '@ies/engines';
import type { ModuleExport, ServiceEntry } from '@ies/service-registry';

export type SeedResult = Record<string, number>;

export interface ServiceHooks {
  ensureIndexes(connection: Connection): Promise<void>;
  seed(connection: Connection): Promise<SeedResult>;
}

async function load<T>(target: ModuleExport): Promise<T> {
  const module = (await import(join(repoRoot(__dirname), target.module))) as Record<string, unknown>;
  const fn = module[target.export];
  if (typeof fn !== 'function') throw new Error(`${target.module} exports no function ${target.export}`);
  return fn as T;
}

/** Loads a registered service's index and seed functions from the modules the registry names. */
export async function loadServiceHooks(service: ServiceEntry): Promise<ServiceHooks> {
  const [ensureIndexes, seed] = await Promise.all([
    load<ServiceHooks['ensureIndexes']>(service.indexes),
    load<ServiceHooks['seed']>(service.seed),
  ]);
  return { ensureIndexes, seed };
}
