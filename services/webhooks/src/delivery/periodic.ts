/**
 * Runs `task` every `intervalMs` until stopped, one run at a time: a run still going when the next is
 * due makes that one skip. `stop` waits for the run under way. The timer does not keep the process up.
 */
export function startPeriodic(intervalMs: number, task: () => Promise<void>): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = task().finally(() => {
      running = null;
    });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
