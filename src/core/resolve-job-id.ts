import { UnknownJobError, UsageError } from '../base/errors.js';
import type { Ledger, StoredJob } from '../ledger/ledger.js';
import { didYouMean } from '../util/did-you-mean.js';

/**
 * The job a user means: the exact id, or an unambiguous start of one (`mnist-cnn-20261126` when only one job
 * starts so). An empty id, or a start that fits several jobs, is wrong usage: a command that acts on a job (cancel,
 * pull) must never pick one the user did not name. An id nothing starts with is an unknown job, with the close ids.
 */
export async function resolveJob(ledger: Ledger, typed: string): Promise<StoredJob> {
  refuseEmptyJobId(typed);
  const exact = await ledger.getJob(typed);
  if (exact) return exact;
  const starting = await ledger.jobIdsLike(typed, 6);
  if (starting.length === 1) return (await ledger.getJob(starting[0]!))!;
  if (starting.length > 1) {
    throw new UsageError(
      `'${typed}' matches several jobs: ${starting.slice(0, 5).join(', ')}${starting.length > 5 ? ', ...' : ''}`,
      {
        hint: 'give more of the job id',
      },
    );
  }
  const sameName = await ledger.jobIdsLike(typed.split('-')[0] ?? typed, 200);
  throw new UnknownJobError(typed, didYouMean(typed, sameName));
}

/** An empty (or blank) id is a start of every id: refuse it before anything is looked up. */
export function refuseEmptyJobId(typed: string): void {
  if (typed.trim() === '') throw new UsageError('a job id cannot be empty', { hint: "'dlrun status' lists jobs" });
}
