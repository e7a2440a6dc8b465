import { startStack, type Stack } from './stack-harness';

/**
 * The stack stopping as `npm start` stops it, with the processes' environment as `npm start` gives it
 * (NODE_ENV unset: jest's `test` changes how Apollo Server treats signals). Every server drains and
 * exits 0 on its SIGTERM; none waits for the drain deadline.
 */
describe('Stack shutdown outside tests', () => {
  let stack: Stack;
  // A stack of nine processes starts slowly when other stacks share the machine's two cores.
  beforeAll(async () => {
    stack = await startStack('stack_shutdown', { env: { NODE_ENV: 'development' } });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('stops every process cleanly on its first SIGTERM', async () => {
    await stack.stop();
    const outcomes = stack.processes.map((process) => ({
      name: process.name,
      exitCode: process.child.exitCode,
      stopped: process.logs.some((line) => line.msg === 'stopped'),
      hitDrainDeadline: process.logs.some((line) => line.msg === 'drain did not finish in time: exiting'),
    }));
    expect(outcomes).toEqual(
      stack.processes.map((process) => ({
        name: process.name,
        exitCode: 0,
        stopped: true,
        hitDrainDeadline: false,
      })),
    );
    expect(outcomes.map((outcome) => outcome.name)).toEqual(
      expect.arrayContaining(['catchments', 'contracts', 'clients', 'disputes', 'gateway']),
    );
  });
});
