import { isTerminal } from '../backend/job-state.js';
import type { GarbageItem, GarbageLeft, GarbageUnsearched } from '../backend/training-backend.js';
import type { Config } from '../config.js';
import type { Ledger } from '../ledger/ledger.js';
import { BACKEND_NAMES } from '../spec/backend-names.js';
import { backendContext } from './backend-context.js';
import { canLaunch, loadBackend } from './backends.js';
import { handleOf } from './job-handle.js';

export interface BackendGarbage {
  readonly backend: string;
  readonly items: readonly GarbageItem[];
  /** Items removal was tried on and that are still there, with why (empty on a dry run). */
  readonly left: readonly GarbageLeft[];
  /** Look-ups that failed: what was not searched, where, and why (gc exits 1). */
  readonly unsearched: readonly GarbageUnsearched[];
  /** Why this backend could not be searched at all, when it could not. */
  readonly error: string | undefined;
}

/**
 * `dlrun gc`: what this ledger started that still bills but belongs to no active job, per backend; removed unless
 * `dryRun`. A job is active while the ledger says it has not ended; outputs not yet pulled are never garbage.
 */
export async function collectGarbage(ledger: Ledger, config: Config, dryRun: boolean): Promise<BackendGarbage[]> {
  const jobs = await ledger.listJobs();
  const active = new Set(jobs.filter((job) => !isTerminal(job.state)).map((job) => job.jobId));
  const results: BackendGarbage[] = [];
  for (const name of BACKEND_NAMES) {
    if (!(await canLaunch(name))) continue;
    const backend = await loadBackend(name);
    if (!backend.findGarbage || !backend.removeGarbage) continue;
    const context = backendContext(config, ledger.id);
    try {
      const known = jobs.filter((job) => job.backend === name).map((job) => handleOf(job, backend));
      // What was found is removed even when some places could not be searched: it is garbage all the same.
      const { items, unsearched } = await backend.findGarbage(active, known, context);
      const left = !dryRun && items.length ? await backend.removeGarbage(items, context) : [];
      results.push({ backend: name, items, left, unsearched, error: undefined });
    } catch (error) {
      results.push({ backend: name, items: [], left: [], unsearched: [], error: (error as Error).message });
    }
  }
  return results;
}
