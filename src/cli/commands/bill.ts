import { launchLedgerId } from '../../ledger/ledger.js';
import type { LedgerId } from '../../backend/job-id.js';
import { DlrunError } from '../../base/errors.js';
import { backendContext } from '../../core/backend-context.js';
import { billRulesOf, jobBill } from '../../core/job-bill.js';
import { refreshJobs } from '../../core/refresh-jobs.js';
import { settleBill } from '../../core/settle-bill.js';
import type { Bill } from '../../cost/bill.js';
import { booleanFlag, type CommandInput } from '../command.js';
import { backendOf, launchableBackend, withJob } from '../job-command.js';
import { renderBill } from '../render-bill.js';

/**
 * `dlrun bill JOB_ID [--reconcile]`: line items, billed time,
 * rate, quote beside actual; the bill so far for a running job.
 */
export async function run(input: CommandInput): Promise<number> {
  const { io, config } = input;
  return withJob(config, input.positionals[0]!, async ({ ledger, job }) => {
    const current = (await refreshJobs(ledger, [job], config)).jobs[0]!;
    const events = (await ledger.eventsOf([current.jobId])).get(current.jobId) ?? [];
    // An ended job whose bill is not recorded yet (its provider could not be asked when it ended) settles it now.
    let bill: Bill | undefined =
      (await ledger.getBill(current.jobId)) ??
      (current.endedAt
        ? await settleBill(ledger, current, await launchableBackend(current), config)
        : jobBill(current, events, new Date(), await billRulesOf(current)));
    if (!bill) throw new DlrunError(`${current.jobId} has no price recorded, so dlrun cannot bill it`);
    if (booleanFlag(input, 'reconcile')) {
      bill = await reconcile(bill, current, launchLedgerId(current, ledger), input);
      if (current.endedAt) await ledger.recordBill(current.jobId, bill);
    }
    if (booleanFlag(input, 'json')) io.out(JSON.stringify(bill));
    else io.out(renderBill(bill));
    if (!current.endedAt && !booleanFlag(input, 'json'))
      io.err(`${current.jobId} is still ${current.state}: this is the bill so far`);
    return 0;
  });
}

/** Add the provider's own figure for the job, where the provider has one. */
async function reconcile(
  bill: Bill,
  job: Parameters<typeof backendOf>[0],
  ledgerId: LedgerId,
  input: CommandInput,
): Promise<Bill> {
  const { backend, handle } = await backendOf(job, 'its bill can be reconciled');
  if (!backend.usage) {
    const reason = backend.capabilities.providerBilling.supported
      ? 'no figure yet'
      : backend.capabilities.providerBilling.reason;
    input.io.err(`no provider figure: ${reason}`);
    return bill;
  }
  const usage = await backend.usage(handle, backendContext(input.config, ledgerId));
  if (!usage) {
    input.io.err('no provider figure yet (billing data can lag by hours)');
    return bill;
  }
  return { ...bill, provider_usd: usage.totalUsd, provider_source: usage.source };
}
