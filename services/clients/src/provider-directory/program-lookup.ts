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
  // A failed re-read keeps the catalogue read before; only with none at all does the lookup throw.
  const refresh = async () => {
    try {
      await read();
    } catch (error) {
      if (!ids) throw error;
      upstream.logger.warn({ err: error }, 'program catalogue refresh failed; using the copy read before');
    }
  };
  return async (programId) => {
    if (!ids || Date.now() - readAt > MAX_AGE_MS) await refresh();
    else if (!ids.has(programId) && Date.now() - lastMiss > 30_000) {
      lastMiss = Date.now();
      await refresh();
    }
    return ids!.has(programId);
  };
}
