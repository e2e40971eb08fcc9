import type { Finding } from './finding.js';

/**
 * Who an error is for. `user` errors are mistakes or conditions the user can fix (a bad job file, missing
 * credentials, a refused budget): the CLI prints the message and exits 1. `internal` errors are bugs in dlrun:
 * the CLI prints the stack and asks for a report (exit 70).
 */
export type ErrorAudience = 'user' | 'internal';

export interface DlrunErrorOptions {
  audience?: ErrorAudience;
  /** True when the same request may succeed if tried again (throttling, a 503, a dropped connection). */
  retryable?: boolean;
  /** How to fix it, printed after the message. */
  hint?: string;
  cause?: unknown;
}

/**
 * The one base class of every error dlrun raises on purpose. Only `src/cli/` turns these into output and exit codes.
 */
export class DlrunError extends Error {
  readonly audience: ErrorAudience;
  readonly isRetryable: boolean;
  readonly hint: string | undefined;

  constructor(message: string, options: DlrunErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.audience = options.audience ?? 'user';
    this.isRetryable = options.retryable ?? false;
    this.hint = options.hint;
  }
}

/** Wrong use of the command line: unknown command or flag, missing argument (exit 2). */
export class UsageError extends DlrunError {}

/** A job file that cannot be read or is invalid; `findings` point at each problem, relative to its folder. */
export class JobFileError extends DlrunError {
  constructor(
    /** The job file as the user named it. */
    readonly jobPath: string,
    message: string,
    readonly findings: readonly Finding[] = [],
    options: DlrunErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** The ledger cannot be opened or written: read-only, locked, corrupt. Names the file. */
export class LedgerError extends DlrunError {
  constructor(
    message: string,
    readonly file: string,
    options: DlrunErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** No job with this id in the ledger. */
export class UnknownJobError extends DlrunError {
  constructor(
    readonly jobId: string,
    suggestion?: string,
  ) {
    super(`no job '${jobId}' in the ledger`, {
      hint: suggestion ? `did you mean '${suggestion}'? ('dlrun status' lists jobs)` : "'dlrun status' lists jobs",
    });
  }
}

/** A provider refused or failed a request; `providerCode` keeps the provider's own error code. */
export class ProviderError extends DlrunError {
  constructor(
    message: string,
    readonly providerCode: string | undefined,
    options: DlrunErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** The user pressed Ctrl-C; the CLI exits 130. */
export class InterruptedError extends DlrunError {
  constructor() {
    super('interrupted');
  }
}

/** A broken invariant inside dlrun: always a bug. */
export class InternalError extends DlrunError {
  constructor(message: string, cause?: unknown) {
    super(message, { audience: 'internal', cause });
  }
}

/** Exit codes of JOB-SPEC.md section 2. */
export const EXIT_CODES = {
  success: 0,
  userFailure: 1,
  usage: 2,
  bug: 70,
  interrupted: 130,
} as const;

/** The exit code an error ends the CLI with. Anything that is not a user-facing DlrunError is a bug. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof InterruptedError) return EXIT_CODES.interrupted;
  if (error instanceof UsageError) return EXIT_CODES.usage;
  if (error instanceof DlrunError && error.audience === 'user') return EXIT_CODES.userFailure;
  return EXIT_CODES.bug;
}
