import path from 'node:path';
import { DlrunError, JobFileError, UsageError, exitCodeFor, EXIT_CODES } from '../base/errors.js';
import type { CliIo } from './io.js';
import { renderFindings, summarizeFindings } from './render-findings.js';
import { style } from './style.js';
import { visibleField } from './visible-text.js';

export const ISSUES_URL = 'https://github.com/dlrun/dlrun/issues';

/**
 * The CLI's one error boundary: a user's mistake gets its message (and the findings, and a hint) in one short
 * paragraph with exit 1 (2 for wrong usage); anything else is a bug in dlrun and gets its stack and a request
 * to report it (exit 70). Under `--json` the error is also one JSON document on stdout, so a script reading stdout
 * always gets one document: `{"error": {"message", "hint", "exit_code", "findings"?}}`.
 */
export function reportError(error: unknown, io: CliIo, command: string | undefined, json = false): number {
  const code = exitCodeFor(error);
  const paint = style(io.colorErr);
  if (code === EXIT_CODES.interrupted) return code;
  if (json) io.out(JSON.stringify({ error: errorDocument(error, code) }));
  if (error instanceof DlrunError && code !== EXIT_CODES.bug) {
    if (error instanceof JobFileError && error.findings.length > 0) {
      const view = {
        baseDir: path.dirname(path.resolve(io.cwd, error.jobPath)),
        shownDir: path.dirname(error.jobPath),
        color: io.colorErr,
      };
      io.err(renderFindings(error.findings, view));
      io.err(`${paint.red('dlrun: error:')} ${visibleField(error.message)} (${summarizeFindings(error.findings)})`);
    } else {
      // A provider's message may be quoted in it: one line, shown, never obeyed.
      io.err(`${paint.red('dlrun: error:')} ${visibleField(error.message)}`);
    }
    if (error.hint) io.err(`  ${paint.dim('hint:')} ${visibleField(error.hint)}`);
    if (error instanceof UsageError) io.err(`  run 'dlrun ${command ? `${command} ` : ''}--help' for usage`);
    return code;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(`${paint.red('dlrun: internal error')} (this is a bug in dlrun, not something you did wrong)`);
  io.err(stack);
  io.err(`Please report it at ${ISSUES_URL} with the command you ran and the text above.`);
  return EXIT_CODES.bug;
}

/** The JSON form of an error; a bug keeps its stack on stderr only, and points at where to report it. */
function errorDocument(
  error: unknown,
  code: number,
): { message: string; hint: string | null; exit_code: number; findings?: readonly unknown[] } {
  if (error instanceof DlrunError && code !== EXIT_CODES.bug) {
    return {
      message: error.message,
      hint: error.hint ?? null,
      exit_code: code,
      ...(error instanceof JobFileError && error.findings.length > 0 ? { findings: error.findings } : {}),
    };
  }
  return {
    message: `internal error: ${error instanceof Error ? error.message : String(error)}`,
    hint: `this is a bug in dlrun; please report it at ${ISSUES_URL}`,
    exit_code: code,
  };
}
