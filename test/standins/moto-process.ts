import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One moto_server child process, listening on 127.0.0.1. */
export interface MotoProcess {
  readonly pid: number;
  readonly endpoint: string;
  /** The end of what moto printed (its request log and any traceback), for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export type LaunchOutcome =
  | { readonly kind: 'running'; readonly process: MotoProcess }
  | { readonly kind: 'port-taken'; readonly output: string };

const OUTPUT_LIMIT = 64 * 1024;
const running = new Set<ChildProcess>();
// A test file that crashes or calls process.exit never reaches its `after` hook; its servers must not outlive it.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function commandExists(name: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;
}

/**
 * A port nobody listens on right now; moto may still lose it to another process before it binds
 * (the caller retries).
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function motoCommand(port: number): string[] {
  const serve = ['moto_server', '-H', '127.0.0.1', '-p', String(port)];
  // SIGKILL reaches moto even when the test process is itself killed (a test runner timeout), so none is left behind.
  return process.platform === 'linux' && commandExists('setpriv')
    ? ['setpriv', '--pdeathsig', 'KILL', ...serve]
    : serve;
}

/** Resolves true once `condition` holds (checked whenever moto prints or exits), or false after `timeoutMs`. */
function until(condition: () => boolean, listeners: Set<() => void>, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (value: boolean): void => {
      clearTimeout(timer);
      listeners.delete(check);
      resolve(value);
    };
    const check = (): void => {
      if (condition()) finish(true);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    listeners.add(check);
    check();
  });
}

/**
 * Start moto_server on `port` and wait until it serves /moto-api/data.json. Werkzeug prints "Running on URL" once
 * it has bound the port, so that line (not a fixed sleep, and not a probe that another program on the port could
 * answer) is the readiness event; a clash makes moto exit with "Address already in use" instead.
 */
export async function launchMoto(
  port: number,
  environment: Readonly<Record<string, string>>,
  readyTimeoutMs: number,
): Promise<LaunchOutcome> {
  const endpoint = `http://127.0.0.1:${port}`;
  const [command, ...args] = motoCommand(port);
  const child = spawn(command!, args, {
    env: { ...process.env, PYTHONUNBUFFERED: '1', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  let exitReason: string | undefined;
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };
  const append = (chunk: string): void => {
    output = (output + chunk).slice(-OUTPUT_LIMIT);
    notify();
  };
  child.stdout!.setEncoding('utf8').on('data', append);
  child.stderr!.setEncoding('utf8').on('data', append);
  const end = (reason: string): void => {
    exitReason ??= reason;
    running.delete(child);
    notify();
  };
  child.once('error', (error) => end(`could not start moto_server: ${error.message}`));
  child.once('close', (code, signal) => end(`moto_server exited (code ${code}, signal ${signal})`));
  const gone = (): boolean => exitReason !== undefined;

  const stop = async (graceMs = 10_000): Promise<void> => {
    if (gone()) return;
    child.kill('SIGTERM');
    if (await until(gone, listeners, graceMs)) return;
    child.kill('SIGKILL');
    await until(gone, listeners, 60_000);
  };

  const deadline = Date.now() + readyTimeoutMs;
  const announced = await until(() => gone() || output.includes(`Running on ${endpoint}`), listeners, readyTimeoutMs);
  if (gone()) {
    if (output.includes('Address already in use')) return { kind: 'port-taken', output };
    throw new Error(`${exitReason} before it was ready on ${endpoint}:\n${output}`);
  }
  if (!announced) {
    await stop(0);
    throw new Error(`moto_server did not announce ${endpoint} within ${readyTimeoutMs} ms:\n${output}`);
  }
  for (;;) {
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // Bound but not yet accepting: the next attempt follows shortly.
    }
    if (gone() || Date.now() > deadline) {
      await stop(0);
      throw new Error(
        `moto_server on ${endpoint} never answered /moto-api/data.json (${exitReason ?? 'timed out'}):\n${output}`,
      );
    }
    await sleep(50);
  }
  return { kind: 'running', process: { pid: child.pid!, endpoint, output: () => output, stop } };
}
