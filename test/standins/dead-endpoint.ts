import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'vitest';
import { defer } from '../support/cleanup.js';

/**
 * - silent: accepts every connection, reads what is sent, and never answers (a hung endpoint, a black-holing proxy).
 * - drop: accepts every connection and closes it as soon as a request arrives, without a byte of answer.
 */
export type DeadEndpointKind = 'silent' | 'drop';

export interface DeadEndpoint {
  /** http://127.0.0.1:PORT, for AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  /** Connections accepted so far: 0 proves a command never asked this endpoint. */
  connections(): number;
}

/** A loopback TCP server that behaves as `kind` says, closed (with every connection it holds) when the test ends. */
export async function startDeadEndpoint(t: TestContext, kind: DeadEndpointKind): Promise<DeadEndpoint> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (kind === 'drop') socket.once('data', () => socket.destroy());
    else socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(t, async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => accepted };
}
