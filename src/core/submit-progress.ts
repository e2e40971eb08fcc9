import os from 'node:os';
import type { JobEvent } from '../ledger/ledger.js';

/** The provider-state words submit writes before the provider confirms anything. */
export const STAGING = 'staging';
export const LAUNCH_REQUESTED = 'launch requested';

/** Names the submitting process in its ledger notes, so that another dlrun can tell whether it is still at work. */
export function submitterNote(): string {
  return `(dlrun submit, pid ${process.pid} on ${os.hostname()})`;
}

const NOTE = /\(dlrun submit, pid (\d+) on (.+)\)$/;

/** How far a submit got that left no provider id: `staging` means no machine can have been asked for. */
export interface SubmitProgress {
  readonly step: typeof STAGING | typeof LAUNCH_REQUESTED | undefined;
  /** `gone`: the submitting process ended (it ran here and no longer exists); `unknown`: it ran on another host. */
  readonly submitter: 'running' | 'gone' | 'unknown';
}

export function submitProgress(events: readonly JobEvent[]): SubmitProgress {
  const notes = events.filter((event) => event.source === 'dlrun' && (event.providerState === STAGING || event.providerState === LAUNCH_REQUESTED));
  const last = notes.at(-1);
  if (!last) return { step: undefined, submitter: 'unknown' };
  const step = last.providerState === STAGING ? STAGING : LAUNCH_REQUESTED;
  const match = NOTE.exec(last.message ?? '');
  if (!match || match[2] !== os.hostname()) return { step, submitter: 'unknown' };
  return { step, submitter: processExists(Number(match[1])) ? 'running' : 'gone' };
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
