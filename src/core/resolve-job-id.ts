import { DlrunError, UnknownJobError } from '../backend/errors.js';
import type { Ledger, StoredJob } from '../ledger/ledger.js';
import { didYouMean } from '../util/did-you-mean.js';

/**
 * The job a user means: the exact id, or an unambiguous start of one (`mnist-cnn-20261126` when only one job
 * starts so). Otherwise an error naming the close ids.
 */
export async function resolveJob(ledger: Ledger, typed: string): Promise<StoredJob> {
  const exact = await ledger.getJob(typed);
  if (exact) return exact;
  const starting = await ledger.jobIdsLike(typed, 6);
  if (starting.length === 1) return (await ledger.getJob(starting[0]!))!;
  if (starting.length > 1) {
    throw new DlrunError(`'${typed}' matches several jobs: ${starting.slice(0, 5).join(', ')}${starting.length > 5 ? ', ...' : ''}`, {
      hint: 'give more of the job id',
    });
  }
  const sameName = await ledger.jobIdsLike(typed.split('-')[0] ?? typed, 200);
  throw new UnknownJobError(typed, didYouMean(typed, sameName));
}
