import path from 'node:path';
import { JobFileError } from '../../base/errors.js';
import { hasErrors, sortFindings, type Finding } from '../../base/finding.js';
import { checkJob } from '../../core/check-job.js';
import { loadJobFile } from '../../spec/load-job-file.js';
import { backendFlag } from '../backend-flag.js';
import { booleanFlag, type CommandInput } from '../command.js';
import { renderFindings, summarizeFindings } from '../render-findings.js';

/** `dlrun validate JOB.yaml`: every check that needs no money, with `--json` as JOB-SPEC.md section 3 says. */
export async function run(input: CommandInput): Promise<number> {
  const { io } = input;
  const jobPath = input.positionals[0]!;
  const backend = backendFlag(input);
  let findings: readonly Finding[];
  try {
    const loaded = loadJobFile(jobPath, io.cwd);
    findings = [...loaded.findings, ...(await checkJob(loaded.job, input.config, backend)).findings];
  } catch (error) {
    // A job file with findings is this command's answer, not a failure to run it; other errors (no file) are.
    if (!(error instanceof JobFileError) || error.findings.length === 0) throw error;
    findings = error.findings;
  }
  const sorted = sortFindings(findings);
  const ok = !hasErrors(sorted);
  if (booleanFlag(input, 'json')) {
    io.out(JSON.stringify({ ok, findings: sorted.map(toJson) }));
  } else {
    const absolute = path.resolve(io.cwd, jobPath);
    if (sorted.length)
      io.out(
        renderFindings(sorted, {
          baseDir: path.dirname(absolute),
          shownDir: path.dirname(jobPath),
          color: io.colorOut,
        }),
      );
    io.err(`${jobPath}: ${summarizeFindings(sorted)}`);
  }
  return ok ? 0 : 1;
}

/** A finding as `validate --json` prints it: `column` null rather than absent, `suggestion` only when there is one. */
function toJson(finding: Finding): Record<string, unknown> {
  return {
    rule: finding.rule,
    severity: finding.severity,
    file: finding.file,
    line: finding.line,
    column: finding.column,
    message: finding.message,
    ...(finding.suggestion !== undefined ? { suggestion: finding.suggestion } : {}),
    ...(finding.hint !== undefined ? { hint: finding.hint } : {}),
  };
}
