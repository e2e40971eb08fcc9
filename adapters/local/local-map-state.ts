import type { JobId } from '../../src/backend/job-id.js';
import { existsSync, statSync } from 'node:fs';
import type { JobStatus } from '../../src/backend/training-backend.js';
import type { LocalJobFolder } from './local-job-folder.js';
import { readJsonIfPresent } from './local-job-folder.js';
import { readMarkers } from './local-markers.js';
import { isAlive } from '../../src/util/process-identity.js';
import type { LocalProcesses, LocalResult } from './local-settings.js';

/** A supervisor that has not reported its processes this long after launch never started. */
export const START_TIMEOUT_MS = 30_000;

export type FolderState =
  | { readonly kind: 'status'; readonly status: JobStatus }
  /** The supervisor is gone without recording an end: the job's processes must be stopped and the end recorded. */
  | { readonly kind: 'orphaned'; readonly processes: LocalProcesses };

/**
 * A local job's state from its folder: result.json when it ended; otherwise process.json and whether its
 * supervisor (the same process: same id and start time) is still alive; no folder at all means no trace.
 */
export function readFolderState(jobId: JobId, folder: LocalJobFolder, now: Date): FolderState {
  const observedAt = now.toISOString();
  const markers = readMarkers(folder.markers);
  const base = { jobId, observedAt, phaseStartedAt: markers.phaseStartedAt };
  const result = readJsonIfPresent<LocalResult>(folder.result);
  if (result) {
    return {
      kind: 'status',
      status: {
        ...base,
        state: result.state,
        providerState: result.signal ? `ended by ${result.signal}` : `exited ${result.exitCode ?? '?'}`,
        ...(result.exitCode !== null ? { exitCode: result.exitCode } : {}),
        endedAt: result.endedAt,
        message:
          markers.error === 'workdir-missing'
            ? "the job folder's copy of the workdir was gone when the job started"
            : result.message,
      },
    };
  }
  const processes = readJsonIfPresent<LocalProcesses>(folder.processes);
  if (processes) {
    if (!isAlive(processes.supervisor)) return { kind: 'orphaned', processes };
    return {
      kind: 'status',
      status: {
        ...base,
        state: 'running',
        providerState: `running (process group ${processes.processGroup})`,
        // The wrapper writes its first marker a moment after the supervisor reports the processes: until then the
        // job is still starting. Left unsaid, the phase would be guessed as `run`, before the setup that follows.
        phase: markers.current ?? 'provisioning',
      },
    };
  }
  if (!existsSync(folder.root)) {
    return {
      kind: 'status',
      status: {
        ...base,
        state: 'lost',
        providerState: 'no job folder',
        message: 'this machine has no trace of the job',
      },
    };
  }
  const age = now.getTime() - statSync(folder.root).mtimeMs;
  if (age < START_TIMEOUT_MS)
    return { kind: 'status', status: { ...base, state: 'provisioning', providerState: 'starting' } };
  return {
    kind: 'status',
    status: {
      ...base,
      state: 'failed',
      providerState: 'never started',
      endedAt: observedAt,
      message: 'the job was prepared but its supervisor never started',
    },
  };
}
