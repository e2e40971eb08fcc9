import { isTerminal } from '../../backend/job-state.js';
import { backendContext } from '../../core/backend-context.js';
import { jobRecord } from '../../core/job-record.js';
import { refreshJobs } from '../../core/refresh-jobs.js';
import { booleanFlag, type CommandInput } from '../command.js';
import { backendOf, withJob } from '../job-command.js';

/** `dlrun cancel JOB_ID`: end the job and everything it started; a job that already ended is left as it is. */
export async function run(input: CommandInput): Promise<number> {
  const { io, config } = input;
  return withJob(config, input.positionals[0]!, async ({ ledger, job }) => {
    let current = (await refreshJobs(ledger, [job], config)).jobs[0]!;
    if (isTerminal(current.state)) {
      io.err(`${current.jobId} already ended (${current.state}); nothing to cancel`);
    } else {
      const { backend, handle } = await backendOf(current);
      io.err(`cancelling ${current.jobId}...`);
      await backend.cancel(handle, backendContext(config, ledger.id));
      await ledger.recordChange(current.jobId, { at: new Date().toISOString(), source: 'dlrun', message: 'cancel requested by dlrun cancel' });
      current = (await refreshJobs(ledger, [current], config)).jobs[0]!;
      io.err(`${current.jobId} ${current.state}`);
    }
    if (booleanFlag(input, 'json')) {
      const events = (await ledger.eventsOf([current.jobId])).get(current.jobId) ?? [];
      io.out(JSON.stringify(jobRecord(current, events, new Date())));
    }
    return 0;
  });
}
