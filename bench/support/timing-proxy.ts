import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import type { ProxyEvent } from '../../test/standins/fault-proxy.js';

/** What a request is counted as, e.g. `GET customJobs` or `GET /storage/v1/b/{bucket}/o/{object}`. */
export type RequestLabeller = (method: string, path: string) => string;

export interface TimingProxy {
  /** http://127.0.0.1:PORT: give it to the client instead of the target's URL. */
  readonly url: string;
  /**
   * Every request's arrival and answer (or drop), in order, shaped as the fault proxy's events so that
   * aws-stand-in.ts's requestTime() adds them up. `action` is the request's label.
   */
  events(): readonly ProxyEvent[];
  /** How many requests arrived with this label (or a label this pattern matches); every request when absent. */
  requests(label?: string | RegExp): number;
  /** The number of requests per label, in order of first arrival. */
  counts(): ReadonlyMap<string, number>;
  /** Forget every event and count. */
  clear(): void;
  close(): Promise<void>;
}

// They describe one connection, the client's or the target's: each side of the proxy has its own.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade']);

function forwardedHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** Request numbers, unique across every proxy of the process: events of two proxies can be added up together. */
let sequence = 0;

/** The method and the path without its query, as sent. */
export const methodAndPath: RequestLabeller = (method, path) => `${method} ${path}`;

/**
 * A forwarding proxy in front of `targetUrl` that times each request from its arrival to the last byte of its
 * answer, for benchmarks that tell the time spent waiting for a provider's stand-in from the client's own. Bodies
 * stream through both ways unchanged; headers are kept but for the hop-by-hop ones and Host, which names the target.
 * A Location the target gives with its own address (a Cloud Storage resumable session) is given back with the
 * proxy's, so that the requests that follow come through the proxy too and are timed.
 */
export async function startTimingProxy(
  targetUrl: string,
  options: {
    readonly label?: RequestLabeller;
    /**
     * Forward the client's Host rather than the target's: for a target that builds absolute links from it (the
     * Rescale stand-in's page links, as Django's), which then name the proxy and are followed through it.
     */
    readonly keepHost?: boolean;
  } = {},
): Promise<TimingProxy> {
  const target = new URL(targetUrl);
  const labelOf = options.label ?? methodAndPath;
  const agent = new http.Agent({ keepAlive: true });
  let history: ProxyEvent[] = [];
  let tally = new Map<string, number>();
  let url = '';

  function handle(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const method = incoming.method ?? 'GET';
    const path = (incoming.url ?? '/').split('?')[0]!;
    const label = labelOf(method, path);
    const request = ++sequence;
    tally.set(label, (tally.get(label) ?? 0) + 1);
    let ended = false;
    const note = (event: ProxyEvent['event'], status?: number): void => {
      if (event !== 'received') {
        if (ended) return;
        ended = true;
      }
      history.push({
        request,
        event,
        action: label,
        fault: undefined,
        ...(status === undefined ? {} : { status }),
        at: performance.now(),
      });
    };
    note('received');
    const drop = (): void => {
      note('dropped');
      incoming.destroy();
      outgoing.destroy();
    };
    const upstream = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        method,
        path: incoming.url,
        headers: {
          ...forwardedHeaders(incoming.headers),
          host: options.keepHost && incoming.headers.host ? incoming.headers.host : target.host,
        },
        agent,
      },
      (answer) => {
        const headers = forwardedHeaders(answer.headers);
        const location = answer.headers.location;
        if (location?.startsWith(target.origin)) headers.location = url + location.slice(target.origin.length);
        const status = answer.statusCode ?? 502;
        outgoing.writeHead(status, answer.statusMessage, headers);
        pipeline(answer, outgoing).then(() => note('answered', status), drop);
      },
    );
    upstream.on('error', () => {
      if (outgoing.headersSent) return drop();
      // The target is gone (stopped, crashed): say so the way a load balancer would.
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`timing proxy could not reach ${targetUrl}`);
      note('answered', 502);
    });
    pipeline(incoming, upstream).catch(() => upstream.destroy());
  }

  const server = http.createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    events: () => history,
    requests: (label) =>
      [...tally].reduce(
        (total, [name, count]) =>
          label === undefined || (typeof label === 'string' ? name === label : label.test(name))
            ? total + count
            : total,
        0,
      ),
    counts: () => tally,
    clear: () => {
      history = [];
      tally = new Map();
    },
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
