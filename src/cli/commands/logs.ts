import { backendContext } from '../../core/backend-context.js';
import { DlrunError, EXIT_CODES } from '../../base/errors.js';
import { launchLedgerId } from '../../ledger/ledger.js';
import { booleanFlag, type CommandInput } from '../command.js';
import { isAbort, withInterrupt } from '../interrupt.js';
import { backendOf, withJob } from '../job-command.js';
import { visibleText } from '../visible-text.js';

/** `dlrun logs JOB_ID [--follow]`: the job's output on stdout; --follow keeps reading until the job ends. */
export async function run(input: CommandInput): Promise<number> {
  const follow = booleanFlag(input, 'follow');
  return withJob(input.config, input.positionals[0]!, async ({ ledger, job }) => {
    const { backend, handle } = await backendOf(job, 'its logs can be read');
    if (!backend.logs) throw new DlrunError(`${backend.name} keeps no output dlrun can read`);
    const read = backend.logs.bind(backend);
    // Ctrl-C ends the reading either way: some backends' readers throw an AbortError, others just stop.
    const interrupted = await withInterrupt(async (signal) => {
      // On a terminal the job's output is shown, never obeyed (its progress bars still redraw); a pipe or a file gets
      // the bytes as the job wrote them.
      const shown = input.io.stdoutIsTerminal
        ? (text: string) => visibleText(text, { keepCarriageReturns: true })
        : (text: string) => text;
      for await (const chunk of read(
        handle,
        { follow, signal },
        backendContext(input.config, launchLedgerId(job, ledger), signal),
      ))
        process.stdout.write(shown(chunk.text));
      return signal.aborted;
    }).catch((error: unknown) => {
      if (isAbort(error)) return true;
      throw error;
    });
    return interrupted ? EXIT_CODES.interrupted : EXIT_CODES.success;
  });
}
