/** Asks each subgraph's `/health/ready`; a subgraph that does not answer in time is `down`. */
export async function checkSubgraphs(
  urls: Record<string, string>,
  timeoutMs: number,
): Promise<Record<string, 'ready' | 'not ready' | 'down'>> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      const healthUrl = new URL('/health/ready', url).toString();
      try {
        const response = await fetch(healthUrl, { signal: AbortSignal.timeout(timeoutMs) });
        return [name, response.ok ? 'ready' : 'not ready'] as const;
      } catch {
        return [name, 'down'] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}
