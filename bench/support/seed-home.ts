import { mkdirSync } from 'node:fs';
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

/** The year of a busy team that the status, report and PostgreSQL status benchmarks share. */
export const LARGE_LEDGER = { jobs: 10_000, activeJobs: 36 } as const;

/** `root/home` seeded with LARGE_LEDGER's jobs, and an empty `root/work` to run dlrun in. */
export async function seedLargeLedgerHome(root: string): Promise<SeededHome & { home: string; work: string }> {
  const home = path.join(root, 'home');
  const work = path.join(root, 'work');
  mkdirSync(home);
  mkdirSync(work);
  return { ...(await seedHome(home, LARGE_LEDGER.jobs, LARGE_LEDGER.activeJobs)), home, work };
}
