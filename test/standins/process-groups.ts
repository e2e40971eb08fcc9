import type { ChildProcess } from 'node:child_process';

/** The numbers of the signals the stand-ins' commands may end by, for exit statuses of 128 + n. */
const SIGNAL_NUMBERS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGABRT: 6,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGTERM: 15,
};

export function signalNumber(signal: NodeJS.Signals): number {
  return SIGNAL_NUMBERS[signal] ?? 1;
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
