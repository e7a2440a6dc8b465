import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Supervisor,
  startWorkerProcess,
  supervisedHandle,
  type RestartPolicy,
  type ServiceProcess,
  type SupervisedExit,
} from '../src';

// Short delays keep the test quick; nothing here asserts on time.
const quickPolicy: RestartPolicy = {
  initialDelayMs: 10,
  maxDelayMs: 40,
  stableAfterMs: 60_000,
  maxFailuresInARow: 3,
};

function flakySupervisor(plan: string[], log: string[]): Supervisor<ServiceProcess> {
  const runsFile = join(mkdtempSync(join(tmpdir(), 'flaky-')), 'runs');
  return new Supervisor({
    name: 'flaky',
    start: () =>
      startWorkerProcess({
        name: 'flaky',
        entry: 'packages/service-launcher/test/fixtures/flaky-process.ts',
        env: { FLAKY_PLAN: plan.join(','), FLAKY_RUNS_FILE: runsFile },
      }),
    policy: quickPolicy,
    log: (line) => log.push(line),
  });
}

describe('Supervisor', () => {
  describe('when a process dies after it was ready', () => {
    let supervisor: Supervisor<ServiceProcess>;
    afterEach(() => supervisor.stop());

    it('says why and starts it again behind the same handle', async () => {
      const log: string[] = [];
      supervisor = flakySupervisor(['crash', 'stay'], log);
      const exited = once(supervisor, 'exit');
      const restarted = once(supervisor, 'restarted');
      await supervisor.start();
      const handle = supervisedHandle(supervisor);
      const firstPid = handle.child.pid;

      const [exit] = (await exited) as [SupervisedExit];
      expect(exit.exit).toEqual({
        code: 3,
        signal: null,
        lastStderrLines: ['run 0: lost the database connection'],
      });
      expect(exit.decision).toEqual({ action: 'restart', failuresInARow: 1, delayMs: 10 });

      await restarted;
      expect(handle.child.pid).not.toBe(firstPid);
      expect(handle.logs).toEqual([{ msg: 'worker ready', run: 1 }]);
      expect(log).toEqual([
        'flaky exited unexpectedly (code 3)',
        'flaky   stderr: run 0: lost the database connection',
        'flaky restarting in 0.0 s (failure 1 in a row)',
        `flaky restarted (pid ${handle.child.pid})`,
      ]);
    });
  });

  describe('when a process keeps failing', () => {
    let supervisor: Supervisor<ServiceProcess>;
    afterEach(() => supervisor.stop());

    it('backs off, then gives up and says so', async () => {
      const log: string[] = [];
      supervisor = flakySupervisor(['crash', 'fail', 'fail', 'fail', 'stay'], log);
      const exits: SupervisedExit[] = [];
      supervisor.on('exit', (exit) => exits.push(exit));
      const gaveUp = once(supervisor, 'gave up');
      let gaveUpCalls = 0;
      await supervisor.start();
      supervisedHandle(supervisor).onUnexpectedExit(() => gaveUpCalls++);

      await gaveUp;
      expect(exits.map((e) => e.decision)).toEqual([
        { action: 'restart', failuresInARow: 1, delayMs: 10 },
        { action: 'restart', failuresInARow: 2, delayMs: 20 },
        { action: 'restart', failuresInARow: 3, delayMs: 40 },
        { action: 'give up', failuresInARow: 4 },
      ]);
      expect(exits[1]!.exit).toBeNull();
      expect(exits[1]!.startError).toContain('run 1: cannot start: the database refused the connection');
      expect(log).toContain('flaky failed to restart');
      expect(log).toContain('flaky   run 1: cannot start: the database refused the connection');
      expect(gaveUpCalls).toBe(1);
      expect(log.at(-1)).toBe('flaky failed 4 times in a row: giving up, it stays down');
    });
  });

  describe('when the process is stopped from outside', () => {
    it('does not restart it and says so', async () => {
      const log: string[] = [];
      const supervisor = flakySupervisor(['stay', 'stay'], log);
      const restarts: ServiceProcess[] = [];
      supervisor.on('restarted', (process) => restarts.push(process));
      const process = await supervisor.start();
      const exitedCleanly = once(supervisor, 'exited cleanly');
      process.child.kill('SIGTERM');
      const [exit] = await exitedCleanly;
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(log).toEqual(['flaky exited cleanly (code 0): stopped from outside, not restarting']);
      await supervisor.stop();
      expect(restarts).toEqual([]);
    });
  });

  describe('when it is stopped', () => {
    it('stops the process and does not restart it', async () => {
      const supervisor = flakySupervisor(['stay'], []);
      const exits: SupervisedExit[] = [];
      supervisor.on('exit', (exit) => exits.push(exit));
      const process = await supervisor.start();
      await supervisor.stop();
      expect(process.child.exitCode).toBe(0);
      expect(exits).toEqual([]);
    });
  });
});
