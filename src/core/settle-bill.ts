import { isTerminal } from '../backend/job-state.js';
import type { JobStatus, TrainingBackend } from '../backend/training-backend.js';
import type { Config } from '../config.js';
import type { Bill } from '../cost/bill.js';
import { launchLedgerId, type Ledger, type StoredJob } from '../ledger/ledger.js';
import { backendContext } from './backend-context.js';
import { billRulesOf, jobBill } from './job-bill.js';
import { handleOf } from './job-handle.js';

/**
 * The final bill of an ended job, recorded once: computed with what the provider says about the run (its own
 * times, spot prices) when the backend can tell. When the provider cannot be asked now, the bill is returned
 * but not recorded, so a later `dlrun bill` settles it with the provider's facts. `known`: what the status call
 * that saw the job end read (the facts, or that they could not be read), used instead of asking again.
 */
export async function settleBill(
  ledger: Ledger,
  job: StoredJob,
  backend: TrainingBackend | undefined,
  config: Config,
  known?: JobStatus['billing'],
): Promise<Bill | undefined> {
  const events = (await ledger.eventsOf([job.jobId])).get(job.jobId) ?? [];
  let facts: unknown = known && 'facts' in known ? known.facts : undefined;
  let factsKnown = !(known && 'unavailable' in known);
  if (!known && backend?.billingFacts) {
    try {
      facts = await backend.billingFacts(handleOf(job, backend), backendContext(config, launchLedgerId(job, ledger)));
    } catch {
      factsKnown = false;
    }
  }
  const bill = jobBill(job, events, new Date(), await billRulesOf(job), facts);
  if (bill && isTerminal(job.state) && factsKnown) await ledger.recordBill(job.jobId, bill);
  return bill;
}
