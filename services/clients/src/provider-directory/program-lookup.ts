import { contractsQuery, type Upstream } from './internal-query';

const MAX_AGE_MS = 300_000;

/**
 * Whether a program exists, from the contracts subgraph's program catalogue (a few dozen programs,
 * kept in memory; re-read when older than 5 minutes or when an id is not in it, at most every 30 s).
 */
export function contractsProgramLookup(upstream: Upstream): (programId: string) => Promise<boolean> {
  let ids: Set<string> | null = null;
  let readAt = 0;
  let lastMiss = 0;
  const read = async () => {
    const data = await contractsQuery<{ programs: { id: string }[] }>(upstream, '{ programs { id } }');
    ids = new Set(data.programs.map((p) => p.id));
    readAt = Date.now();
  };
  return async (programId) => {
    if (!ids || Date.now() - readAt > MAX_AGE_MS) await read();
    else if (!ids.has(programId) && Date.now() - lastMiss > 30_000) {
      lastMiss = Date.now();
      await read();
    }
    return ids!.has(programId);
  };
}
