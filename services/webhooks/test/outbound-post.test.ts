import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { postTo, RESPONSE_READ_LIMIT } from '../src/outbound/outbound-post';
import type { CheckedTarget } from '../src/outbound/outbound-policy';

/** A receiver on port 0 that counts the connections it accepts and the requests it answers. */
async function receiver(
  handle: (request: IncomingMessage, response: ServerResponse, socket: Socket) => void,
) {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => handle(request, response, request.socket));
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const target: CheckedTarget = {
    url: new URL(`http://127.0.0.1:${port}/hooks`),
    address: '127.0.0.1',
    family: 4,
  };
  return {
    target,
    connections: () => connections,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const post = (target: CheckedTarget) => postTo(target, '{"id":"e1"}', { 'webhook-id': 'e1' }, 5_000);

describe('postTo: connections to a checked target', () => {
  it('keeps a connection whose answer was read to its end for the next delivery', async () => {
    const partner = await receiver((_req, res) => res.writeHead(204).end());
    try {
      expect(await post(partner.target)).toMatchObject({ kind: 'response', status: 204 });
      expect(await post(partner.target)).toMatchObject({ kind: 'response', status: 204 });
      expect(await post(partner.target)).toMatchObject({ kind: 'response', status: 204 });
      expect(partner.connections()).toBe(1);
    } finally {
      await partner.stop();
    }
  });

  it('drops a connection whose answer was longer than it reads', async () => {
    const partner = await receiver((_req, res) =>
      res.writeHead(200).end('x'.repeat(RESPONSE_READ_LIMIT * 4)),
    );
    try {
      const first = await post(partner.target);
      expect(first).toMatchObject({ kind: 'response', status: 200 });
      expect(first.kind === 'response' && first.body.length).toBe(RESPONSE_READ_LIMIT);
      expect(await post(partner.target)).toMatchObject({ kind: 'response', status: 200 });
      expect(partner.connections()).toBe(2);
    } finally {
      await partner.stop();
    }
  });

  it('sends once more on a new connection when a kept one fails before any answer (closed as idle)', async () => {
    const answeredOn = new Map<Socket, number>();
    let answered = 0;
    // Every second request on a connection finds it closed (a server whose idle timeout just ran out).
    const partner = await receiver((_req, res, socket) => {
      const count = (answeredOn.get(socket) ?? 0) + 1;
      answeredOn.set(socket, count);
      if (count === 2) {
        socket.destroy();
        return;
      }
      answered++;
      res.writeHead(204).end();
    });
    try {
      expect(await post(partner.target)).toMatchObject({ kind: 'response', status: 204 });
      expect(await post(partner.target)).toMatchObject({ kind: 'response', status: 204 });
      expect(answered).toBe(2);
      expect(partner.connections()).toBe(2);
    } finally {
      await partner.stop();
    }
  });

  it('sends the second try on a connection of its own, not on another kept one that may be closed too', async () => {
    let requests = 0;
    let restarted = false;
    const before = new Set<Socket>();
    // Two deliveries at once leave two kept connections; then the server restarts: a request arriving
    // on a connection from before is dropped with it.
    const partner = await receiver((_req, res, socket) => {
      requests++;
      if (!restarted) before.add(socket);
      else if (before.has(socket)) {
        socket.destroy();
        return;
      }
      res.writeHead(204).end();
    });
    try {
      expect(await Promise.all([post(partner.target), post(partner.target)])).toEqual([
        expect.objectContaining({ status: 204 }),
        expect.objectContaining({ status: 204 }),
      ]);
      expect(partner.connections()).toBe(2);
      restarted = true;
      expect(await post(partner.target)).toMatchObject({ kind: 'response', status: 204 });
      // One kept connection, then a new one (not the other kept connection).
      expect(requests).toBe(4);
      expect(partner.connections()).toBe(3);
    } finally {
      await partner.stop();
    }
  });

  it('does not send again when a kept connection fails after the answer began', async () => {
    let requests = 0;
    // The second request, on the kept connection, gets the start of an answer, then the connection goes.
    const partner = await receiver((_req, res, socket) => {
      requests++;
      if (requests === 1) {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => socket.destroy());
    });
    try {
      expect(await post(partner.target)).toMatchObject({ kind: 'response', status: 204 });
      const outcome = await post(partner.target);
      expect(outcome).toMatchObject({ kind: 'response', status: 200 });
      expect(requests).toBe(2);
      expect(partner.connections()).toBe(1);
    } finally {
      await partner.stop();
    }
  });
});
