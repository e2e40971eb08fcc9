import { launchLedgerId } from '../../ledger/ledger.js';
import path from 'node:path';
import { billRulesOf, jobBill } from '../../core/job-bill.js';
import { isUnsuccessful, jobRecord } from '../../core/job-record.js';
import { loadBackend } from '../../core/backends.js';
import { lastOutputLines } from '../../core/last-output.js';
import type { BackendName } from '../../spec/backend-names.js';
import { lastOutputBlock } from '../render-jobs.js';
import { submitJob } from '../../core/submit-job.js';
import { LARGE_WORKDIR_BYTES } from '../../util/workdir-files.js';
import { terminalConfirm } from '../ask.js';
import { backendFlag } from '../backend-flag.js';
import { booleanFlag, type CommandInput } from '../command.js';
import { followJob } from '../follow-job.js';
import { isAbort, withInterrupt } from '../interrupt.js';
import { renderBill } from '../render-bill.js';
import { renderFindings } from '../render-findings.js';
import { visibleField } from '../visible-text.js';
import { dryRunJson, endpointLines, formatBytes, priceLine, renderDryRun, shippingLine } from '../render-plan.js';

/** `dlrun submit JOB.yaml`: validate, quote, check the budget, record, launch; `--wait` follows it to its end. */
export async function run(input: CommandInput): Promise<number> {
  const { io, config } = input;
  const jobPath = input.positionals[0]!;
  const json = booleanFlag(input, 'json');
  const outcome = await submitJob(config, {
    jobPath,
    backend: backendFlag(input),
    dryRun: booleanFlag(input, 'dry-run'),
    cwd: io.cwd,
    confirm: booleanFlag(input, 'yes') ? undefined : terminalConfirm(),
    // Where the requests (with the credentials and the job's
    // secrets) go is said before anything is sent, --json or not.
    beforeLaunch: (planned) => {
      for (const line of endpointLines(planned)) io.err(line);
    },
  });
  const { details } = outcome;
  for (const problem of details.priceProblems) io.err(`warning: ${problem}`);
  const jobDir = path.dirname(jobPath);
  if (details.findings.length && !json) {
    io.err(
      renderFindings(details.findings, {
        baseDir: path.dirname(path.resolve(io.cwd, jobPath)),
        shownDir: jobDir,
        color: io.colorErr,
      }),
    );
  }
  if (outcome.kind === 'dry-run') {
    io.out(
      json
        ? JSON.stringify(dryRunJson(details))
        : renderDryRun(details, path.relative(io.cwd, details.job.workdir) || '.'),
    );
    return 0;
  }
  if (outcome.kind === 'declined') {
    io.err('not launched');
    return 1;
  }
  const { ledger } = outcome;
  try {
    if (!json) {
      io.err(priceLine(details));
      io.err(shippingLine(details, path.relative(io.cwd, details.job.workdir) || '.'));
      if (details.manifest.bytes > LARGE_WORKDIR_BYTES) {
        io.err(
          `warning: the workdir is ${formatBytes(details.manifest.bytes)}; ` +
            'list data and build output in .dlrunignore, and have the job download large data instead',
        );
      }
      io.err(
        `submitted ${outcome.job.jobId}; follow it with 'dlrun logs --follow ${outcome.job.jobId}', ` +
          `stop it with 'dlrun cancel ${outcome.job.jobId}'`,
      );
      io.out(outcome.job.jobId);
    }
    if (!booleanFlag(input, 'wait')) {
      if (json) io.out(JSON.stringify(await recordOf(outcome.job.jobId)));
      return 0;
    }
    const ended = await withInterrupt((signal) => followJob(ledger, outcome.job, config, io, signal)).catch(
      (error: unknown) => {
        if (isAbort(error)) return undefined;
        throw error;
      },
    );
    if (!ended) {
      io.err(`detached: ${outcome.job.jobId} goes on; 'dlrun status ${outcome.job.jobId}' shows it`);
      return 130;
    }
    const events = (await ledger.eventsOf([ended.jobId])).get(ended.jobId) ?? [];
    const bill =
      (await ledger.getBill(ended.jobId)) ?? jobBill(ended, events, new Date(), await billRulesOf(ended)) ?? null;
    const record = jobRecord(ended, events, new Date());
    // A job that went wrong ends with the phase it failed in and how its output ended: the reason, on screen.
    const lastOutput = isUnsuccessful(ended.state)
      ? await lastOutputLines(
          ended,
          await loadBackend(ended.backend as BackendName),
          config,
          launchLedgerId(ended, ledger),
        )
      : undefined;
    if (json) io.out(JSON.stringify({ ...record, ...(lastOutput?.length ? { last_output: lastOutput } : {}), bill }));
    else if (bill) io.out(renderBill(bill));
    if (!json && ended.state !== 'succeeded') {
      const where = record.failed_phase ? ` in ${record.failed_phase}` : '';
      const exit = ended.exitCode !== null ? ` (exit status ${ended.exitCode})` : '';
      const reason = ended.endReason ? `: ${visibleField(ended.endReason)}` : '';
      io.err(`${ended.jobId} ${ended.state}${where}${exit}${reason}`);
      if (lastOutput?.length) io.err(lastOutputBlock(lastOutput));
    }
    return ended.state === 'succeeded' ? 0 : 1;
  } finally {
    await ledger.close();
  }

  async function recordOf(jobId: string) {
    const job = (await ledger.getJob(jobId))!;
    return jobRecord(job, (await ledger.eventsOf([jobId])).get(jobId) ?? [], new Date());
  }
}
