import { DlrunError } from '../../base/errors.js';
import { isTerminal } from '../../backend/job-state.js';
import { backendContext } from '../../core/backend-context.js';
import { jobRecord } from '../../core/job-record.js';
import { launchLedgerId } from '../../ledger/ledger.js';
import { refreshJobs } from '../../core/refresh-jobs.js';
import { booleanFlag, type CommandInput } from '../command.js';
import { backendOf, withJob } from '../job-command.js';

/**
 * `dlrun cancel JOB_ID`: end the job and everything it started; a job that already ended is left as it is. Exit 1,
 * with what was and was not done, when the backend could not stop it: never "cancelled" when nothing was stopped.
 */
export async function run(input: CommandInput): Promise<number> {
  const { io, config } = input;
  return withJob(config, input.positionals[0]!, async ({ ledger, job }) => {
    let current = (await refreshJobs(ledger, [job], config)).jobs[0]!;
    if (isTerminal(current.state)) {
      io.err(`${current.jobId} already ended (${current.state}); nothing to cancel`);
    } else {
      const { backend, handle } = await backendOf(current, 'it can be cancelled');
      io.err(`cancelling ${current.jobId}...`);
      try {
        await backend.cancel(handle, backendContext(config, launchLedgerId(current, ledger)));
      } catch (error) {
        if (!(error instanceof DlrunError) || error.audience !== 'user') throw error;
        await ledger.recordChange(current.jobId, {
          at: new Date().toISOString(),
          source: 'dlrun',
          message: `dlrun cancel could not stop the job: ${error.message}`,
        });
        throw new DlrunError(`could not cancel ${current.jobId}: ${error.message}`, {
          hint: error.hint ?? `run 'dlrun cancel ${current.jobId}' again`,
          cause: error,
        });
      }
      await ledger.recordChange(current.jobId, {
        at: new Date().toISOString(),
        source: 'dlrun',
        message: 'cancel requested by dlrun cancel',
      });
      current = (await refreshJobs(ledger, [current], config)).jobs[0]!;
      // The backend confirmed that the job's machines are stopping; its listing may show that a moment later.
      io.err(
        isTerminal(current.state)
          ? `${current.jobId} ${current.state}`
          : `${current.jobId}: stopping (${backend.name} confirmed; 'dlrun status' shows when it has ended)`,
      );
    }
    if (booleanFlag(input, 'json')) {
      const events = (await ledger.eventsOf([current.jobId])).get(current.jobId) ?? [];
      io.out(JSON.stringify(jobRecord(current, events, new Date())));
    }
    return 0;
  });
}
