// What the HTTP stand-ins of a provider's API (Vertex AI, Rescale) share whatever the API: which recorded requests
// a test asks for, the faults it injects, and how the server listens and closes.
import { rmSync } from 'node:fs';
import { once } from 'node:events';
import type http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which requests, beyond their action: the method and the path. */
export interface RequestMatchOf<Action extends string> {
  readonly action?: Action;
  readonly method?: string;
  /** The path without the query: exactly this string, or matching this pattern. */
  readonly path?: string | RegExp;
}

/** A fault a test injects: what kind, for which requests. */
export interface FaultOf<Action extends string, Kind> {
  /** Which requests: an action, or a match (every request when absent). */
  readonly match?: Action | RequestMatchOf<Action>;
  readonly kind: Kind;
  /** How many matching requests get it (default 1; Infinity: all). */
  readonly times?: number;
  readonly delayMs?: number;
}

/** A request as the stand-in received it. */
export interface RecordedRequestOf<Action extends string, Kind, Body> {
  readonly action: Action;
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<IncomingHttpHeaders>;
  /** The body as JSON (undefined when empty or not JSON). */
  readonly body: Body | undefined;
  /** The fault it was given, if any. */
  readonly fault: Kind | undefined;
}

/** Whether `request` is one of `match`: an action, or a match (every request when absent). */
export function matchesRequest<Action extends string>(
  match: Action | RequestMatchOf<Action> | undefined,
  request: { readonly action: Action; readonly method: string; readonly path: string },
): boolean {
  if (match === undefined) return true;
  if (typeof match === 'string') return request.action === match;
  if (match.action !== undefined && match.action !== request.action) return false;
  if (match.method !== undefined && match.method.toUpperCase() !== request.method) return false;
  if (typeof match.path === 'string' && match.path !== request.path) return false;
  if (match.path instanceof RegExp && !match.path.test(request.path)) return false;
  return true;
}

/** The faults a test injected, each for its next `times` matching requests (default 1; Infinity: all). */
export class InjectedFaults<
  Action extends string,
  Fault extends { readonly match?: Action | RequestMatchOf<Action>; readonly times?: number },
> {
  private active: { readonly fault: Fault; remaining: number }[] = [];

  inject(fault: Fault): void {
    this.active.push({ fault, remaining: fault.times ?? 1 });
  }

  /** The fault `request` gets, if any: the first injected one still due that matches it, now used once more. */
  take(request: { readonly action: Action; readonly method: string; readonly path: string }): Fault | undefined {
    const active = this.active.find(
      (candidate) => candidate.remaining > 0 && matchesRequest(candidate.fault.match, request),
    );
    if (active) active.remaining -= 1;
    return active?.fault;
  }

  clear(): void {
    this.active = [];
  }
}

/** Listens on a free port of 127.0.0.1: `http://127.0.0.1:PORT`, no trailing slash. */
export async function listenOnLoopback(server: http.Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes the server (its open connections cut), drops the exit hook, and removes the stand-in's folder. */
export async function closeServer(server: http.Server, onExit: () => void, baseDir: string): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  process.removeListener('exit', onExit);
  rmSync(baseDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}
