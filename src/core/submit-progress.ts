import os from 'node:os';
import type { JobEvent } from '../ledger/ledger.js';
import { identify, isAlive } from '../util/process-identity.js';

/** The provider-state words submit writes before the provider confirms anything. */
export const STAGING = 'staging';
export const LAUNCH_REQUESTED = 'launch requested';

/**
 * Names the submitting process in its ledger notes, so that another dlrun can tell whether it is still at work:
 * its id and start time (a process id alone may be reused by another program once submit is gone), and the host.
 */
export function submitterNote(): string {
  const self = identify(process.pid);
  return `(dlrun submit, pid ${process.pid}${self ? ` started ${self.started}` : ''} on ${os.hostname()})`;
}

// The start time may hold spaces (`ps` lstart outside Linux); a host name holds none.
const NOTE = /\(dlrun submit, pid (\d+)(?: started (.+?))? on (\S+)\)$/;

/** How far a submit got that left no provider id: `staging` means no machine can have been asked for. */
export interface SubmitProgress {
  readonly step: typeof STAGING | typeof LAUNCH_REQUESTED | undefined;
  /** `gone`: the submitting process ended (it ran here and no longer exists); `unknown`: it ran on another host. */
  readonly submitter: 'running' | 'gone' | 'unknown';
}

export function submitProgress(events: readonly JobEvent[]): SubmitProgress {
  const notes = events.filter(
    (event) =>
      event.source === 'dlrun' && (event.providerState === STAGING || event.providerState === LAUNCH_REQUESTED),
  );
  const last = notes.at(-1);
  if (!last) return { step: undefined, submitter: 'unknown' };
  const step = last.providerState === STAGING ? STAGING : LAUNCH_REQUESTED;
  const match = NOTE.exec(last.message ?? '');
  if (!match || match[3] !== os.hostname()) return { step, submitter: 'unknown' };
  const [, pid, started] = match;
  // Without a start time (it could not be read) the process is known only by its id: still running while any
  // process has it, the safe side, since a running submit must not be written off.
  const running = started ? isAlive({ pid: Number(pid), started }) : identify(Number(pid)) !== undefined;
  return { step, submitter: running ? 'running' : 'gone' };
}
