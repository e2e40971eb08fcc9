import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TestContext } from 'vitest';
import { asLedgerId } from '../../../src/backend/job-id.js';
import type { BackendContext } from '../../../src/backend/training-backend.js';
import { defer } from '../../support/cleanup.js';

/** One request as the loopback server saw it. */
export interface SeenRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** Answer one request; `n` counts the requests so far, this one included (1 for the first). */
export type Answer = (request: SeenRequest, response: ServerResponse, n: number) => void;

export interface Loopback {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** The same server as another origin: http://localhost:PORT. */
  readonly otherOrigin: string;
  readonly requests: SeenRequest[];
  /** Answer the next requests with `answer` (replaces the last). */
  answer(answer: Answer): void;
}

/**
 * A small node:http server on 127.0.0.1 that answers as a test says, recording every request (body included):
 * Rescale's transport behaviours (DRF error bodies, absolute next links, 429 with Retry-After, dropped connections)
 * without the full stand-in. Closed, with every connection, when the test ends.
 */
export async function loopback(t: TestContext, answer?: Answer): Promise<Loopback> {
  const requests: SeenRequest[] = [];
  let current: Answer = answer ?? ((_request, response) => json(response, 404, { detail: 'Not found.' }));
  const sockets = new Set<Socket>();
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const seen = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(seen);
      current(seen, response, requests.length);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(t, async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    otherOrigin: `http://localhost:${port}`,
    requests,
    answer: (next) => {
      current = next;
    },
  };
}

export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Close the connection without a byte of answer, as a dropped connection does. */
export function drop(response: ServerResponse): void {
  response.socket?.destroy();
}

export const KEY = 'test-key-0123456789';

export function rescaleContext(env: Record<string, string | undefined> = {}): BackendContext {
  return { ledgerId: asLedgerId('rescale-ledger'), home: '/nonexistent', env: { RESCALE_API_KEY: KEY, ...env } };
}
