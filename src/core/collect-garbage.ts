import { isTerminal } from '../backend/job-state.js';
import type { GarbageItem, GarbageLeft, GarbageUnsearched } from '../backend/training-backend.js';
import type { Config } from '../config.js';
import { launchLedgerId, type Ledger } from '../ledger/ledger.js';
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
 * Resources are looked for under every ledger id the ledger's jobs were launched with: its own, and those of jobs
 * copied in from other ledgers (`dlrun ledger migrate`), whose leftovers carry their launching ledger's id. Under
 * such an id only the resources of the jobs copied in are taken (that ledger may still be in use); no other ledger's
 * resources are ever looked at.
 */
export async function collectGarbage(ledger: Ledger, config: Config, dryRun: boolean): Promise<BackendGarbage[]> {
  const jobs = await ledger.listJobs();
  const launchIds = await ledger.launchLedgerIds();
  const active = new Set(jobs.filter((job) => !isTerminal(job.state)).map((job) => job.jobId));
  const results: BackendGarbage[] = [];
  for (const name of BACKEND_NAMES) {
    if (!(await canLaunch(name))) continue;
    const backend = await loadBackend(name);
    if (!backend.findGarbage || !backend.removeGarbage) continue;
    const perLedger: BackendGarbage[] = [];
    for (const launchId of launchIds) {
      const context = backendContext(config, launchId);
      try {
        const known = jobs
          .filter((job) => job.backend === name && launchLedgerId(job, ledger) === launchId)
          .map((job) => handleOf(job, backend));
        // What was found is removed even when some places could not be searched: it is garbage all the same.
        const found = await backend.findGarbage(active, known, context);
        const { unsearched } = found;
        // Under another ledger's id (jobs copied in from it), only what belongs to a job copied here is this ledger's
        // to remove: that ledger may still be in use, and its other jobs and shared files are its own.
        const copied = new Set<string>(known.map((job) => job.jobId));
        const items =
          launchId === ledger.id
            ? found.items
            : found.items.filter((item) => item.jobId !== null && copied.has(item.jobId));
        const left = !dryRun && items.length ? await backend.removeGarbage(items, context) : [];
        perLedger.push({ backend: name, items, left, unsearched, error: undefined });
      } catch (error) {
        const message = (error as Error).message;
        const of = launchId === ledger.id ? '' : ` (jobs copied from ledger ${launchId})`;
        perLedger.push({ backend: name, items: [], left: [], unsearched: [], error: `${message}${of}` });
      }
    }
    const errors = perLedger.flatMap((result) => (result.error === undefined ? [] : [result.error]));
    results.push({
      backend: name,
      items: perLedger.flatMap((result) => result.items),
      left: perLedger.flatMap((result) => result.left),
      unsearched: perLedger.flatMap((result) => result.unsearched),
      error: errors.length ? errors.join('; ') : undefined,
    });
  }
  return results;
}
