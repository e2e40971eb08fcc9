import type { BackendCapabilities } from '../backend/capabilities.js';
import type { Finding, Severity } from '../base/finding.js';
import type { BackendName } from '../spec/backend-names.js';
import type { JobSpec } from '../spec/job-spec.js';
import type { ScriptCall } from './script-input.js';
import type { LocalGpus } from './local-gpus.js';
import type { ScriptInput } from './script-input.js';
import type { ScriptPosition } from './shell/script-model.js';
import type { WorkdirView } from './workdir-view.js';

/** Facts about the machine dlrun runs on, for the checks that concern it (this laptop's own paths, the local PATH). */
export interface ThisMachine {
  readonly homeDirectory: string;
  readonly userName: string;
  /** Commands on this machine's PATH, for jobs that run here (the local backend). */
  readonly commandsOnPath: ReadonlySet<string>;
  /** Names of the variables local jobs inherit from the submitting shell (src/backend/job-environment.ts). */
  readonly environment: ReadonlySet<string>;
  /** This machine's NVIDIA GPUs (local-gpus.ts), found on first use; undefined when nothing can be told. */
  readonly gpus: LocalGpus | undefined;
  /** The AWS region this machine's settings give (AWS_REGION, AWS_DEFAULT_REGION, the profile), and which one says so. */
  readonly awsRegion: { readonly region: string; readonly from: string } | undefined;
}

/** Everything a rule may look at. Rules are pure: they read this and return findings. */
export interface ValidationContext {
  readonly job: JobSpec;
  /** The backends the job is checked for (JOB-SPEC.md section 1: --backend, else the ones the file names, else all). */
  readonly targets: readonly BackendName[];
  /** True when the file names no backend: checks apply to every backend, and settings only a launch needs are not demanded. */
  readonly portable: boolean;
  readonly scripts: readonly ScriptInput[];
  /** Script files the job runs, as found in its scripts (followed or not). */
  readonly calls: readonly ScriptCall[];
  readonly workdir: WorkdirView;
  readonly machine: ThisMachine;
  /** What each target backend can do (data from its capabilities module, loaded by the caller). */
  readonly capabilities: Readonly<Partial<Record<BackendName, BackendCapabilities>>>;
}

export interface FindingDetails {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly suggestion?: string;
  readonly hint?: string;
}

/** A finding at a position of a script, in the file and line the user edits. */
export function scriptFinding(script: ScriptInput, position: ScriptPosition, details: FindingDetails): Finding {
  const place = script.place(position);
  return { ...details, file: script.file, line: place.line, column: place.column };
}

/**
 * One check of the validator: a file of its own under rules/, named after its id (ESLint's layout), with a table of
 * valid and invalid examples in its test and an entry in docs/rules.md.
 */
export interface Rule {
  readonly id: string;
  /** One line for docs and `--help`-style listings. */
  readonly summary: string;
  check(context: ValidationContext): Finding[];
}
