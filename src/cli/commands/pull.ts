import { mkdirSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DlrunError } from '../../base/errors.js';
import { isTerminal } from '../../backend/job-state.js';
import { backendContext } from '../../core/backend-context.js';
import { refreshJobs } from '../../core/refresh-jobs.js';
import { launchLedgerId } from '../../ledger/ledger.js';
import { booleanFlag, stringFlag, type CommandInput } from '../command.js';
import { backendOf, withJob } from '../job-command.js';
import { formatBytes } from '../render-plan.js';
import { writing } from '../write-errors.js';

/** `dlrun pull JOB_ID [--to DIR]`: the job's outputs into DIR (default ./dlrun-outputs/JOB_ID). */
export async function run(input: CommandInput): Promise<number> {
  const { io, config } = input;
  return withJob(config, input.positionals[0]!, async ({ ledger, job }) => {
    const current = (await refreshJobs(ledger, [job], config)).jobs[0]!;
    const { backend, handle } = await backendOf(current, 'its outputs can be pulled');
    if (!backend.pullOutputs)
      throw new DlrunError(`${backend.name} jobs' outputs cannot be fetched by this version of dlrun`);
    const named = path.resolve(io.cwd, stringFlag(input, 'to') ?? path.join('dlrun-outputs', current.jobId));
    const made = writing(named, 'give --to a folder you can write to', () => mkdirSync(named, { recursive: true }));
    // The folder the user named is theirs: when it is a link (to a larger disk, say), the outputs go where it points.
    // Links inside it are another matter; the backend never writes through those.
    const destination = realpathSync(named);
    const pulled = await backend
      .pullOutputs(handle, destination, backendContext(config, launchLedgerId(current, ledger)))
      .catch((error: unknown) => {
        // Nothing was pulled: an empty ./dlrun-outputs/JOB_ID left behind would look like a job with no outputs.
        if (made) rmSync(made, { recursive: true, force: true });
        throw error;
      });
    if (!isTerminal(current.state)) io.err(`${current.jobId} is still ${current.state}: these are its outputs so far`);
    const shown = path.relative(io.cwd, named) || '.';
    for (const skipped of pulled.skipped ?? []) io.err(`not pulled: ${skipped}`);
    if (booleanFlag(input, 'json'))
      io.out(
        JSON.stringify({
          job_id: current.jobId,
          destination,
          files: pulled.files,
          bytes: pulled.bytes,
          ...(pulled.skipped ? { skipped: pulled.skipped } : {}),
        }),
      );
    else {
      io.out(destination);
      io.err(
        `pulled ${pulled.files} file${pulled.files === 1 ? '' : 's'} (${formatBytes(pulled.bytes)}) into ${shown}`,
      );
    }
    return 0;
  });
}
