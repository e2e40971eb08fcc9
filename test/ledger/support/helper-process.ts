import { spawn, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { TestContext } from 'vitest';
import { fileURLToPath } from 'node:url';

/** The helper programs beside this file (plain JavaScript on the built dlrun: they run outside vitest). */
const SUPPORT = path.dirname(fileURLToPath(import.meta.url));

export interface HelperResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly lines: readonly string[];
  readonly stderr: string;
}

export interface HelperOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Run the program through this wrapper (e.g. setpriv to drop privileges). */
  readonly wrapper?: readonly string[];
}

interface LineWaiter {
  readonly pattern: RegExp;
  readonly resolve: (line: string) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A helper program (ledger-writer, ledger-locker) running in its own process, so that the ledger meets other
 * processes exactly as it does in use. Killed when the test ends if it is still running.
 */
export class HelperProcess {
  readonly lines: string[] = [];
  readonly finished: Promise<HelperResult>;
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly waiters: LineWaiter[] = [];
  private partial = '';
  private stderr = '';
  private exited = false;

  constructor(t: TestContext, program: string, args: readonly string[], options: HelperOptions = {}) {
    const command = [...(options.wrapper ?? []), process.execPath, path.join(SUPPORT, `${program}.mjs`), ...args];
    // A clean environment and a folder without .env, so only what the test passes reaches the program.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env };
    this.child = spawn(command[0]!, command.slice(1), { cwd: SUPPORT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.receive(chunk));
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.finished = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code, signal) => {
        this.exited = true;
        if (this.partial) this.lines.push(this.partial);
        for (const waiter of this.waiters.splice(0)) {
          waiter.reject(
            new Error(
              `${program} exited (${code ?? signal}) before printing ${waiter.pattern}; ` +
                `stdout: ${this.lines.join(' | ')}; stderr: ${this.stderr}`,
            ),
          );
        }
        resolve({ code, signal, lines: this.lines, stderr: this.stderr });
      });
    });
    t.onTestFinished(async () => {
      if (!this.exited) this.child.kill('SIGKILL');
      await this.finished.catch(() => undefined);
    });
  }

  /** The first line of stdout matching `pattern`, whether already printed or still to come. */
  waitForLine(pattern: RegExp): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.exited) return Promise.reject(new Error(`exited without printing ${pattern}; stderr: ${this.stderr}`));
    return new Promise((resolve, reject) => this.waiters.push({ pattern, resolve, reject }));
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  private receive(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line);
      for (const waiter of [...this.waiters]) {
        if (!waiter.pattern.test(line)) continue;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  }
}
