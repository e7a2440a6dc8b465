import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server built by one of our builders: listens on a port (0 = any free one), drains on close. */
export interface ServerHandle {
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** Starts listening and resolves with the bound port. */
export function listenOn(httpServer: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve((httpServer.address() as AddressInfo).port));
  });
}
