import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { awsErrorAnswer, describeAwsRequest, type AwsErrorKind, type AwsRequest } from './aws-requests.js';

/** Which requests a rule (or a count) applies to; every field given must match. */
export interface RequestMatch {
  /** RunInstances, DescribeInstances, GetCostAndUsage...; for S3, "PUT /bucket/key" (or use method and path). */
  readonly action?: string;
  readonly service?: string;
  readonly method?: string;
  /** The path without the query: exactly this string, or matching this pattern. */
  readonly path?: string | RegExp;
}

/**
 * - throttle: EC2 RequestLimitExceeded (503); S3 SlowDown (503); STS Throttling; JSON services ThrottlingException.
 * - unavailable: 503 (EC2 Unavailable); internal-error: 500 (EC2 InternalError).
 * - unauthorized: a refusal no retry changes (EC2 UnauthorizedOperation 403, S3 AccessDenied 403).
 * - drop-before-forwarding: the connection is destroyed, moto never sees the request.
 * - drop-after-forwarding: moto did the work, then the connection is destroyed: the client saw a failure.
 * - delay: moto answers at once; the client gets that answer `delayMs` later.
 */
export type FaultKind = AwsErrorKind | 'drop-before-forwarding' | 'drop-after-forwarding' | 'delay';

export interface FaultRule extends RequestMatch {
  readonly kind: FaultKind;
  /** How many matching requests get the fault (Infinity: all of them until clear()). */
  readonly times: number;
  readonly delayMs?: number;
}

export type ProxyEventName = 'received' | 'moto-answered' | 'answered' | 'dropped';

export interface ProxyEvent {
  /** The request's number, in order of arrival. */
  readonly request: number;
  readonly event: ProxyEventName;
  readonly action: string;
  readonly fault: FaultKind | undefined;
  /** The status sent to the client (answered) or received from moto (moto-answered). */
  readonly status?: number;
  /**
   * performance.now() in the proxy's process when the event happened: for benchmarks that add up the time spent
   * in provider requests. Tests assert the order of events, never these.
   */
  readonly at: number;
}

/** A request as it reached the proxy, kept with `record: true`. */
export interface RecordedRequest extends AwsRequest {
  /** The path and the query, as sent. */
  readonly url: string;
  readonly headers: Readonly<http.IncomingHttpHeaders>;
  readonly body: Buffer;
  /** performance.now() when it arrived, as the `received` event's: to merge with calls a client mock answered. */
  readonly at: number;
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT: give it to the SDK instead of moto's endpoint. */
  readonly endpoint: string;
  inject(rule: FaultRule): void;
  /** How many requests arrived (faulted or not); a string is an action name. */
  requests(match?: string | RequestMatch): number;
  /** Every request so far, in order of arrival, with its headers and body (with `record: true`; empty otherwise). */
  recorded(): readonly RecordedRequest[];
  /** Every event so far, in order: for asserting what happened before what, never how long it took. */
  events(): readonly ProxyEvent[];
  /** Resolves with the first event (past or future) that satisfies `predicate`. */
  waitForEvent(predicate: (event: ProxyEvent) => boolean): Promise<ProxyEvent>;
  /** Forget every rule, count, event, recorded request and ClientToken seen. */
  clear(): void;
  close(): Promise<void>;
}

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

function matches(match: RequestMatch, request: AwsRequest): boolean {
  if (match.action !== undefined && match.action !== request.action) return false;
  if (match.service !== undefined && match.service !== request.service) return false;
  if (match.method !== undefined && match.method.toUpperCase() !== request.method) return false;
  if (typeof match.path === 'string' && match.path !== request.path) return false;
  if (match.path instanceof RegExp && !match.path.test(request.path)) return false;
  return true;
}

// Hop-by-hop headers describe one connection; the proxy sends the whole body at once on its own connections.
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'expect', 'te', 'upgrade', 'proxy-connection'];

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const copy: http.OutgoingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

interface Upstream {
  readonly status: number;
  readonly headers: http.OutgoingHttpHeaders;
  readonly body: Buffer;
}

function forward(target: URL, agent: http.Agent, request: IncomingMessage, body: Buffer): Promise<Upstream> {
  const headers = withoutHopByHop(request.headers);
  // The Host header stays the client's: it is part of the SigV4 signature.
  if (body.length > 0 || request.headers['content-length'] !== undefined) headers['content-length'] = body.length;
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers, agent },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const answer = Buffer.concat(chunks);
          const answerHeaders = withoutHopByHop(incoming.headers);
          if (answerHeaders['content-length'] === undefined && request.method !== 'HEAD')
            answerHeaders['content-length'] = answer.length;
          resolve({ status: incoming.statusCode ?? 502, headers: answerHeaders, body: answer });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export interface FaultProxyOptions {
  /**
   * Answer RunInstances as EC2 does and moto does not: a request whose ClientToken was seen before gets the first
   * request's answer (waiting for it if it is still in flight) instead of a second launch. A failed first answer is
   * forgotten, so a retry launches.
   */
  readonly honourClientTokens?: boolean;
  /** Keep every request's headers and body, for recorded(). */
  readonly record?: boolean;
}

/** The ClientToken of an EC2 RunInstances request (Query protocol: a form-encoded body), if it has one. */
function clientTokenOf(request: AwsRequest, body: Buffer): string | undefined {
  if (request.action !== 'RunInstances') return undefined;
  return new URLSearchParams(body.toString('utf8')).get('ClientToken') || undefined;
}

/** A reverse proxy in front of moto (or any AWS endpoint) that fails chosen requests the ways AWS and networks do. */
export async function startFaultProxy(targetEndpoint: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(targetEndpoint);
  const launchesByToken = new Map<string, Promise<Upstream>>();
  const agent = new http.Agent({ keepAlive: true });
  let rules: ActiveRule[] = [];
  let seen: { request: AwsRequest }[] = [];
  let kept: RecordedRequest[] = [];
  let history: ProxyEvent[] = [];
  const waiters = new Set<(event: ProxyEvent) => void>();
  const closing = new AbortController();
  let sequence = 0;

  const record = (event: ProxyEvent): void => {
    history.push(event);
    for (const waiter of waiters) waiter(event);
  };

  const take = (request: AwsRequest): FaultRule | undefined => {
    const active = rules.find((candidate) => candidate.remaining > 0 && matches(candidate.rule, request));
    if (!active) return undefined;
    active.remaining -= 1;
    return active.rule;
  };

  /** Forward the request; with honourClientTokens, a RunInstances token already seen is answered from the first. */
  function forwardOnce(request: AwsRequest, incoming: IncomingMessage, body: Buffer): Promise<Upstream> {
    const token = options.honourClientTokens ? clientTokenOf(request, body) : undefined;
    if (token === undefined) return forward(target, agent, incoming, body);
    const earlier = launchesByToken.get(token);
    if (earlier) return earlier;
    const launch = forward(target, agent, incoming, body);
    launchesByToken.set(token, launch);
    launch.then(
      (answer) => {
        if (answer.status >= 300) launchesByToken.delete(token);
      },
      () => launchesByToken.delete(token),
    );
    return launch;
  }

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    // 'received' is when the request arrived, before its body was read: the client's upload is request time too.
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const request = describeAwsRequest(incoming.method ?? 'GET', incoming.url ?? '/', incoming.headers, body);
    const number = ++sequence;
    seen.push({ request });
    if (options.record)
      kept.push({ ...request, url: incoming.url ?? '/', headers: { ...incoming.headers }, body, at: arrived });
    const rule = take(request);
    const fault = rule?.kind;
    const note = (event: ProxyEventName, status?: number): void =>
      record({
        request: number,
        event,
        action: request.action,
        fault,
        ...(status === undefined ? {} : { status }),
        at: event === 'received' ? arrived : performance.now(),
      });
    note('received');
    const drop = (): void => {
      note('dropped');
      incoming.socket.destroy();
    };
    if (fault === 'drop-before-forwarding') return drop();
    if (fault === 'throttle' || fault === 'unavailable' || fault === 'internal-error' || fault === 'unauthorized') {
      const error = awsErrorAnswer(fault, request, incoming.headers, `fault-proxy-${number}`);
      outgoing.writeHead(error.status, {
        'content-type': error.contentType,
        'content-length': Buffer.byteLength(error.body),
        'x-amzn-requestid': `fault-proxy-${number}`,
      });
      outgoing.end(error.body);
      return note('answered', error.status);
    }
    const answer = await forwardOnce(request, incoming, body);
    note('moto-answered', answer.status);
    if (fault === 'drop-after-forwarding') return drop();
    if (fault === 'delay') await sleep(rule?.delayMs ?? 0, undefined, { signal: closing.signal });
    outgoing.writeHead(answer.status, answer.headers);
    outgoing.end(answer.body);
    note('answered', answer.status);
  }

  const server = http.createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      // moto itself failed (stopped, crashed): say so to the client the way a load balancer would.
      if (outgoing.headersSent || incoming.socket.destroyed) return void incoming.socket.destroy();
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`fault proxy could not reach ${targetEndpoint}: ${String(error)}`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    inject: (rule) => void rules.push({ rule, remaining: rule.times }),
    requests: (match) => {
      const wanted: RequestMatch = typeof match === 'string' ? { action: match } : (match ?? {});
      return seen.filter(({ request }) => matches(wanted, request)).length;
    },
    recorded: () => [...kept],
    events: () => [...history],
    waitForEvent: (predicate) => {
      const past = history.find(predicate);
      if (past) return Promise.resolve(past);
      return new Promise((resolve) => {
        const waiter = (event: ProxyEvent): void => {
          if (!predicate(event)) return;
          waiters.delete(waiter);
          resolve(event);
        };
        waiters.add(waiter);
      });
    },
    clear: () => {
      rules = [];
      seen = [];
      kept = [];
      history = [];
      launchesByToken.clear();
    },
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
