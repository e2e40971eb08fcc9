import type { JobFileContent } from './job-schema.js';
import type { Position } from './yaml-document.js';

/**
 * Where an inline script (`setup` or `run`) sits in job.yaml, so that a finding on line N of the script can be
 * reported on the right line of job.yaml: script line N is file line `line + N - 1`, and its text starts at
 * column `column` when `exact` (a literal block `|`); folded or quoted scripts map only to their first line.
 */
export interface ScriptSource {
  readonly line: number;
  readonly column: number;
  readonly exact: boolean;
  /**
   * For a script YAML folds (`>`, or a plain or quoted scalar over several lines): its lines as written in the file,
   * from `line` on, since the folded value no longer shows where YAML joined two lines into one command.
   */
  readonly written?: { readonly style: 'folded' | 'plain' | 'quoted'; readonly lines: readonly string[] };
}

/** Where a job came from: the file, and the place of every field in it (`resources.gpu` -> line 7, column 8). */
export interface JobSource {
  /** The job file as the user named it. */
  readonly path: string;
  /** Absolute folder holding the job file; findings name files relative to it. */
  readonly dir: string;
  /** The job file's name relative to `dir`, as findings report it. */
  readonly file: string;
  readonly positions: Readonly<Record<string, Position>>;
  readonly scripts: { readonly setup?: ScriptSource; readonly run?: ScriptSource };
}

/**
 * A loaded, valid job: the job file's content with every default applied (durations in seconds, sizes in GiB,
 * `max_runtime: null` for unlimited), `workdir` resolved to an absolute folder, and where each field was written.
 */
export type JobSpec = Omit<JobFileContent, 'workdir'> & {
  readonly workdir: string;
  readonly source: JobSource;
};
