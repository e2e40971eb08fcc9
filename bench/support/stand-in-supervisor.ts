import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { localJobFolder, writeJsonAtomically } from '../../adapters/local/local-job-folder.js';
import { identify } from '../../src/util/process-identity.js';
import type { LocalProcesses } from '../../adapters/local/local-settings.js';
import type { RunningLocalJob } from './seed-ledger.js';

/**
 * Active local jobs as `status` finds them on a user's machine: a job folder whose supervisor is alive. One idle
 * process, in a process group of its own, stands in for every supervisor and job, so that status refreshes
 * them on every run and never finds one gone (which would record its end and change the ledger between runs).
 */
export class StandInSupervisor {
  private constructor(
    private readonly child: ChildProcess,
    private readonly processes: LocalProcesses,
  ) {}

  static start(): StandInSupervisor {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
      detached: true,
      stdio: 'ignore',
    });
    const identity = child.pid === undefined ? undefined : identify(child.pid);
    if (!identity) {
      child.kill();
      throw new Error('could not start the stand-in supervisor process');
    }
    child.unref();
    return new StandInSupervisor(child, {
      supervisor: identity,
      job: identity,
      processGroup: identity.pid,
      startedAt: new Date().toISOString(),
    });
  }

  /**
   * What the local backend reports for a running job (adapters/local/local-map-state.ts), so refreshes
   * change nothing.
   */
  get providerState(): string {
    return `running (process group ${this.processes.processGroup})`;
  }

  /** The folder the local backend keeps for a running job: its processes, and the phase markers the wrapper writes. */
  writeJobFolder(home: string, job: RunningLocalJob): void {
    const folder = localJobFolder(home, job.jobId);
    writeJsonAtomically(folder.processes, this.processes);
    const markers = Object.entries(job.phaseStartedAt).map(
      ([phase, at]) => `${Date.parse(at) / 1000} phase ${phase}\n`,
    );
    writeFileSync(folder.markers, markers.join(''));
  }

  stop(): void {
    this.child.kill();
  }
}
