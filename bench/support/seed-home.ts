import path from 'node:path';
import { seedLedger, type SeedSummary } from './seed-ledger.js';
import { StandInSupervisor } from './stand-in-supervisor.js';

export interface SeededHome {
  readonly summary: SeedSummary;
  /** Keeps the active local jobs running; stop it when the benchmark is done. */
  readonly supervisor: StandInSupervisor;
}

/** A DLRUN_HOME as a user's looks: the ledger, and a live job folder for each active local job. */
export async function seedHome(home: string, jobs: number, activeJobs: number): Promise<SeededHome> {
  const supervisor = StandInSupervisor.start();
  try {
    const summary = await seedLedger(path.join(home, 'ledger.db'), {
      jobs,
      activeJobs,
      localRunningProviderState: supervisor.providerState,
    });
    for (const job of summary.runningLocalJobs) supervisor.writeJobFolder(home, job);
    return { summary, supervisor };
  } catch (error) {
    supervisor.stop();
    throw error;
  }
}
