import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import type { SupervisedExit } from '@ies/service-launcher';
import { graphqlRequest } from '@ies/testkit';
import { startStack, type Stack } from './stack-harness';

/** Holds a port so that nothing else can listen on it, dropping every connection made to it. */
async function occupy(port: number): Promise<Server> {
  const squatter = createServer((socket) => socket.destroy());
  squatter.listen(port, '127.0.0.1');
  await once(squatter, 'listening');
  return squatter;
}

/**
 * The stack as `npm start` runs it, each process under a supervisor: a subgraph killed outright is
 * restarted on its port with backoff while the gateway keeps serving the others.
 */
describe('Supervised stack', () => {
  let stack: Stack;
  const said: string[] = [];
  // A stack of nine processes starts slowly when other stacks share the machine's two cores.
  beforeAll(async () => {
    stack = await startStack('supervision', { supervise: { log: (line) => said.push(line) } });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  describe('when a subgraph process is killed', () => {
    it('says why, keeps serving the others, and restarts it on the same port', async () => {
      const supervisor = stack.supervisors.catchments!;
      const { port } = stack.catchments;
      const killedPid = stack.catchments.child.pid!;
      const exits: SupervisedExit[] = [];
      supervisor.on('exit', (exit) => exits.push(exit));

      // While the port is held, a restart cannot listen: the outage lasts until the test lets go.
      let squatter: Server | undefined;
      const died = once(supervisor, 'exit').then(async () => {
        squatter = await occupy(port);
      });
      const failedRestart = new Promise<void>((resolve) =>
        supervisor.on('exit', ({ exit }) => exit === null && resolve()),
      );
      process.kill(killedPid, 'SIGKILL');
      await died;

      expect(exits[0]).toMatchObject({
        name: 'catchments',
        exit: { code: null, signal: 'SIGKILL' },
        decision: { action: 'restart', failuresInARow: 1, delayMs: 1_000 },
      });
      expect(said).toContain('catchments exited unexpectedly (signal SIGKILL)');

      const token = await stack.auth.token('MINISTRY');
      const others = await graphqlRequest(stack.graphqlUrl, `{ programs { name } }`, { token });
      expect(others.status).toBe(200);
      expect(others.body.errors).toBeUndefined();
      expect(others.body.data!.programs.length).toBeGreaterThan(0);
      const down = await graphqlRequest(stack.graphqlUrl, `{ catchmentArea(id: "york") { name } }`);
      expect(down.body.data).toEqual({ catchmentArea: null });
      expect(down.body.errors?.[0]?.extensions).toMatchObject({
        code: 'SUBGRAPH_UNAVAILABLE',
        serviceName: 'catchments',
      });

      // The first restart finds the port taken and fails: the supervisor backs off and says so.
      await failedRestart;
      const failure = exits.find((exit) => exit.exit === null)!;
      expect(failure.decision).toEqual({ action: 'restart', failuresInARow: 2, delayMs: 2_000 });
      expect(failure.startError).toContain('EADDRINUSE');

      const restarted = once(supervisor, 'restarted');
      await new Promise<void>((resolve) => squatter!.close(() => resolve()));
      await restarted;

      expect(stack.catchments.child.pid).not.toBe(killedPid);
      expect(said).toContain(`catchments restarted (pid ${stack.catchments.child.pid})`);
      const back = await graphqlRequest(stack.graphqlUrl, `{ catchmentArea(id: "york") { name } }`);
      expect(back.body).toEqual({ data: { catchmentArea: { name: 'York' } } });
    });
  });
});
