import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

type LogLine = Record<string, unknown>;

/** The fixture server as a real process, its JSON log lines, and a way to await one. */
function startHeldRequestServer() {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fixtures', 'held-request-server.ts')],
    { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const lines: LogLine[] = [];
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as LogLine;
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.match(line))) waiter.resolve(line);
  });
  const waitForLog = (msg: string) =>
    new Promise<LogLine>((resolve, reject) => {
      const found = lines.find((line) => line.msg === msg);
      if (found) return resolve(found);
      waiters.push({ match: (line) => line.msg === msg, resolve });
      void exited.then((code) => reject(new Error(`exited with ${code} before logging "${msg}"`)));
    });
  return { child, exited, waitForLog };
}

describe('Shutdown on a signal', () => {
  /** Starts the server, puts one request in flight, and resolves with it once the server holds it. */
  async function withRequestInFlight() {
    const server = startHeldRequestServer();
    const { port } = await server.waitForLog('listening');
    const answer = fetch(`http://127.0.0.1:${port}/`).then(
      async (response) => ({ status: response.status, body: await response.text() }),
      (error: unknown) => ({ failed: String(error) }),
    );
    await server.waitForLog('holding a request');
    return { ...server, answer };
  }

  describe('when the whole process group gets SIGTERM and the parent then sends its own', () => {
    it('finishes the request in flight and exits 0: the second SIGTERM does not cut the drain short', async () => {
      const server = await withRequestInFlight();
      server.child.kill('SIGTERM'); // the group's
      await server.waitForLog('shutting down');
      server.child.kill('SIGTERM'); // the parent's, as npm start stops its children
      expect(await server.answer).toEqual({ status: 200, body: 'done' });
      expect(await server.exited).toBe(0);
      await server.waitForLog('stopped');
    });
  });

  describe('when a person presses Ctrl-C twice', () => {
    it('exits at once with 1, leaving the drain', async () => {
      const server = await withRequestInFlight();
      server.child.kill('SIGINT');
      await server.waitForLog('shutting down');
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(1);
      expect(await server.answer).toEqual({ failed: expect.any(String) });
    });
  });
});
