import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/** The number of a signal a stand-in's command ended by, for exit statuses of 128 + n. */
export function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 1;
}

/** Sends `signal` to the process group a stand-in started detached; one that has ended already is left alone. */
export function killGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Kills every group and waits for the processes to close, at most 5 s (a stand-in closing at a test's end). */
export async function killAllAndWait(children: Iterable<ChildProcess>): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const child of children) {
    waits.push(new Promise((resolve) => child.once('close', resolve)));
    killGroup(child, 'SIGKILL');
  }
  await Promise.race([Promise.all(waits), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
}
