import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { startFaultProxy, type FaultProxy, type ProxyEvent } from '../../test/standins/fault-proxy.js';
import { motoInstalled, startMoto, type MotoServer } from '../../test/standins/moto-stand-in.js';
import type { BenchmarkResult } from './measurement.js';

/** moto_server, and the fault proxy in front of it that counts and times every request (no faults injected). */
export interface AwsStandIn {
  readonly moto: MotoServer;
  readonly proxy: FaultProxy;
  stop(): Promise<void>;
}

/** The stand-in, or undefined when moto_server is not installed (the benchmark then records no figures). */
export async function startAwsStandIn(): Promise<AwsStandIn | undefined> {
  if (!motoInstalled()) return undefined;
  const moto = await startMoto();
  const proxy = await startFaultProxy(moto.endpoint);
  return {
    moto,
    proxy,
    stop: async () => {
      await proxy.close();
      await moto.stop();
    },
  };
}

/** What a benchmark reports without moto: a clear message and no figures (run-all shows the line as such). */
export function withoutMoto(title: string): BenchmarkResult {
  const message =
    'moto_server is not installed, so no figures were taken: ' +
    'install moto (pip install "moto[server]==5.2.1") and run again';
  console.error(`${title}: ${message}`);
  return { title, method: message, measurements: [] };
}

/** The time requests were in flight at the provider (received to answered, at the proxy). */
export interface RequestTime {
  readonly requests: number;
  /** Every request's duration added up: more than the wall time they took when some overlapped. */
  readonly sumMs: number;
  /** The time at least one request was in flight: what the caller spent waiting for the provider. */
  readonly inFlightMs: number;
}

export function requestTime(events: readonly ProxyEvent[]): RequestTime {
  const started = new Map<number, number>();
  const spans: [number, number][] = [];
  for (const event of events) {
    if (event.event === 'received') started.set(event.request, event.at);
    else if ((event.event === 'answered' || event.event === 'dropped') && started.has(event.request))
      spans.push([started.get(event.request)!, event.at]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let inFlightMs = 0;
  let end = -Infinity;
  for (const [from, to] of spans) {
    // Only the part of each span after the ones before it ended counts: overlapping requests are waited for once.
    if (to > end) inFlightMs += to - Math.max(from, end);
    end = Math.max(end, to);
  }
  return { requests: spans.length, sumMs: spans.reduce((total, [from, to]) => total + to - from, 0), inFlightMs };
}

export interface ChildRun {
  readonly ms: number;
  readonly stdout: string;
}

/**
 * Wall time of a `node` child, spawn to exit. Asynchronous on purpose: the proxy answering the child's requests
 * runs in this process, and spawnSync would block it (the child would wait forever).
 */
export function timeChild(
  args: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string>> },
): Promise<ChildRun> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - start;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`${args.slice(1).join(' ')} exited with ${code ?? signal}:\n${stderr}`));
    });
  });
}
