import type { JobChange } from '../../src/ledger/ledger.js';
import type { SeededRandom } from './random.js';

/** How a seeded job ended, or where an active one stands now. */
export type Fate = EndedFate | ActiveFate;
export type EndedFate =
  | 'succeeded'
  | 'failed in run'
  | 'failed in setup'
  | 'cancelled in queue'
  | 'cancelled in run'
  | 'preempted'
  | 'timed out'
  | 'lost';
export type ActiveFate = 'pending' | 'provisioning' | 'setup' | 'run';

/** Roughly how a team's jobs end: most succeed, the rest fail, get cancelled or preempted in various ways. */
export const ENDED_FATES: readonly (readonly [EndedFate, number])[] = [
  ['succeeded', 70],
  ['failed in run', 8],
  ['failed in setup', 6],
  ['cancelled in queue', 3],
  ['cancelled in run', 4],
  ['preempted', 4],
  ['timed out', 3],
  ['lost', 2],
];

export const ACTIVE_FATES: readonly (readonly [ActiveFate, number])[] = [
  ['pending', 6],
  ['provisioning', 6],
  ['setup', 8],
  ['run', 16],
];

export const LOCAL_ACTIVE_FATES: readonly (readonly [ActiveFate, number])[] = [
  ['setup', 1],
  ['run', 2],
];

/** The seconds a job spends in each phase it reaches. */
export interface PhaseDurations {
  readonly queued: number;
  readonly provisioning: number;
  readonly setup: number;
  readonly run: number;
}

/** The provider's own words for a job: its state names and its id for the job. */
export interface ProviderWords {
  readonly starting: string;
  readonly running: string;
  readonly ended: string;
  readonly externalId: string;
}

export interface JobHistory {
  /** The changes after `createJob`, oldest first. */
  readonly changes: readonly JobChange[];
  /** When the job ended, or null while it is active. */
  readonly endedAt: number | null;
}

/** max_runtime of the typical job file: a job that timed out ran this long. */
const MAX_RUNTIME_S = 4 * 3600;

export function randomDurations(random: SeededRandom): PhaseDurations {
  return {
    queued: random.logBetween(5, 600),
    provisioning: random.between(30, 240),
    setup: random.between(60, 900),
    run: random.logBetween(300, 8 * 3600),
  };
}

/**
 * The events a job of this fate reports, as the providers and the bootstrap markers would: provisioning,
 * then running in the setup phase, then the run phase, then how it ended. A job that ended finishes by
 * `latestEnd` (its run is shortened if need be), so no event lies in the future.
 */
export function jobHistory(
  fate: Fate,
  submittedAt: number,
  durations: PhaseDurations,
  provider: ProviderWords,
  latestEnd: number,
): JobHistory {
  const reachesRun =
    fate === 'run' ||
    fate === 'succeeded' ||
    fate === 'failed in run' ||
    fate === 'cancelled in run' ||
    fate === 'preempted' ||
    fate === 'timed out';
  const reachesSetup = reachesRun || fate === 'setup' || fate === 'failed in setup';
  const provisioningAt = submittedAt + durations.queued * 1000;
  const setupAt = provisioningAt + durations.provisioning * 1000;
  const runAt = setupAt + durations.setup * 1000;
  const runSeconds = fate === 'timed out' ? MAX_RUNTIME_S : durations.run;
  const runEnd = Math.min(runAt + runSeconds * 1000, latestEnd);
  const iso = (time: number): string => new Date(time).toISOString();
  const changes: JobChange[] = [];

  if (fate === 'lost') {
    const at = submittedAt + 600_000;
    changes.push({ at: iso(at), source: 'dlrun', state: 'lost', message: 'the provider has no trace of the job' });
    return { changes, endedAt: at };
  }
  if (fate === 'pending' || fate === 'cancelled in queue') {
    changes.push({
      at: iso(submittedAt + 2000),
      source: 'provider',
      state: 'pending',
      providerState: provider.starting,
      externalId: provider.externalId,
    });
    if (fate === 'pending') return { changes, endedAt: null };
    changes.push({ at: iso(provisioningAt), source: 'dlrun', state: 'cancelled', message: 'cancelled by the user' });
    return { changes, endedAt: provisioningAt };
  }
  changes.push({
    at: iso(provisioningAt),
    source: 'provider',
    state: 'provisioning',
    providerState: provider.starting,
    externalId: provider.externalId,
  });
  if (reachesSetup) {
    changes.push({
      at: iso(setupAt),
      source: 'machine',
      state: 'running',
      phase: 'setup',
      providerState: provider.running,
    });
  }
  if (reachesRun) {
    changes.push({ at: iso(runAt), source: 'machine', phase: 'run' });
  }
  const endedAt = reachesRun ? runEnd : runAt;
  const ending = endingChange(fate, iso(endedAt), provider.ended);
  if (!ending) return { changes, endedAt: null };
  changes.push(ending);
  return { changes, endedAt };
}

function endingChange(fate: Fate, when: string, providerEnded: string): JobChange | undefined {
  switch (fate) {
    case 'succeeded':
      return { at: when, source: 'machine', state: 'succeeded', exitCode: 0, providerState: providerEnded };
    case 'failed in run':
      return {
        at: when,
        source: 'machine',
        state: 'failed',
        exitCode: 1,
        providerState: providerEnded,
        message: 'run exited with code 1',
      };
    case 'failed in setup':
      return {
        at: when,
        source: 'machine',
        state: 'failed',
        exitCode: 1,
        providerState: providerEnded,
        message: 'setup exited with code 1',
      };
    case 'cancelled in run':
      return {
        at: when,
        source: 'dlrun',
        state: 'cancelled',
        providerState: providerEnded,
        message: 'cancelled by the user',
      };
    case 'preempted':
      return {
        at: when,
        source: 'provider',
        state: 'preempted',
        providerState: providerEnded,
        message: 'spot capacity reclaimed by the provider',
      };
    case 'timed out':
      return {
        at: when,
        source: 'machine',
        state: 'timed_out',
        exitCode: 124,
        providerState: providerEnded,
        message: 'max_runtime 4h reached',
      };
    default:
      return undefined;
  }
}
