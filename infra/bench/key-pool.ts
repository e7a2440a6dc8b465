/**
 * Keys (agreements) handed out one at a time: `take` answers a free key, or waits for one to be given
 * back. The load generators keep one amendment in flight per agreement (another would be a version
 * conflict), so a slow stack lowers the rate they actually send.
 */
export function keyPool<K>(keys: Iterable<K>): { take(): Promise<K>; give(key: K): void } {
  const free = [...keys];
  const waiters: ((key: K) => void)[] = [];
  return {
    take: () =>
      free.length ? Promise.resolve(free.pop()!) : new Promise<K>((resolve) => waiters.push(resolve)),
    give: (key) => {
      const waiter = waiters.shift();
      if (waiter) waiter(key);
      else free.push(key);
    },
  };
}
