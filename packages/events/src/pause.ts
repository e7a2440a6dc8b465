/**
 * A wait that `wake()` cuts short: loops pause between polls or after a failure, and stopping them
 * does not wait out the pause.
 */
export function pauser() {
  let wakeUp: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;
  return {
    wait(ms: number): Promise<void> {
      return new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, ms);
      });
    },
    wake(): void {
      if (timer) clearTimeout(timer);
      wakeUp?.();
      wakeUp = null;
      timer = null;
    },
  };
}

/** Backoff after consecutive failures of a loop: 100 ms more each time, at most 2 s. */
export const failureDelayMs = (failures: number) => Math.min(failures * 100, 2_000);
