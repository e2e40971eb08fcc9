import type { BackendCapabilities } from '../backend/capabilities.js';
import { InternalError } from '../base/errors.js';
import type { Finding, Severity } from '../base/finding.js';
import type { BackendPricing } from '../cost/backend-pricing.js';
import type { GpuModel } from '../cost/catalogs/index.js';
import type { BackendName } from '../spec/backend-names.js';
import type { JobSpec } from '../spec/job-spec.js';
import type { ImageFacts } from './catalogs/image-facts.js';
import type { PythonProgram } from './external/python-analyser.js';
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
  /**
   * dlrun's own settings (the shell, and `.env` in a folder the user allowed): where the provider settings a submit
   * would use come from (a backend's rules read its region there).
   */
  readonly settings: Readonly<Record<string, string | undefined>>;
}

/** Everything a rule may look at. Rules are pure: they read this and return findings. */
export interface ValidationContext {
  readonly job: JobSpec;
  /** The backends the job is checked for (JOB-SPEC.md section 1: --backend, else the ones the file names, else all). */
  readonly targets: readonly BackendName[];
  /**
   * True when the file names no backend: checks apply to every
   * backend, and settings only a launch needs are not demanded.
   */
  readonly portable: boolean;
  readonly scripts: readonly ScriptInput[];
  /** Script files the job runs, as found in its scripts (followed or not). */
  readonly calls: readonly ScriptCall[];
  readonly workdir: WorkdirView;
  readonly machine: ThisMachine;
  /** What each target backend can do (data from its capabilities module, from the registry). */
  readonly capabilities: Readonly<Partial<Record<BackendName, BackendCapabilities>>>;
  /**
   * The validation module of each target backend and of every backend whose block the job file has (from the
   * registry): what the generic rules ask of a backend, and its own rules.
   */
  readonly backends: Readonly<Partial<Record<BackendName, BackendValidation>>>;
  /**
   * The commands that run a Python script of the workdir, with what python3 read in each (the one python3 process
   * of python-syntax); empty when the job runs none.
   */
  readonly python: readonly PythonProgram[];
  /**
   * The price rules of each target backend that has them (from the registry; offline, no cloud SDK): what a start
   * and the billing minimum cost there (max-cost-floor). Absent when the caller gave none.
   */
  readonly pricing?: Readonly<Partial<Record<BackendName, BackendPricing>>>;
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

/** A finding about a setting, without its rule: the rule that asked a backend for it adds its id. */
export interface SettingFinding extends Omit<FindingDetails, 'rule'> {
  /** The job file field it is about (`backends.ec2.instance_type`); the finding points at it. */
  readonly field: string;
}

/** A cloud whose tools a job may call (foreign-cloud-tool). */
export type CloudName = 'aws' | 'gcp' | 'azure';

/** A machine name a backend's block gives, and the catalog it is looked up in (unknown-machine-type). */
export interface MachineName {
  readonly field: string;
  readonly value: string | undefined;
  /** What it names, for the message ("EC2 instance type"). */
  readonly what: string;
  /** The catalog's entry for a name, undefined when the catalog does not have it. */
  readonly find: (name: string) => unknown;
  /** The catalog's name closest to one it does not have, when one is close. */
  readonly suggest: (name: string) => string | undefined;
}

/** The GPUs a job will get on a backend, and which setting decides them. */
export interface JobGpus {
  readonly gpu: GpuModel;
  readonly count: number;
  /** The job file field that decides it, for pointing at it (`backends.ec2.instance_type`, `resources.gpu`). */
  readonly field: string;
  readonly machine: string | undefined;
}

/** How long a backend's machines take to come up, all of it billed (limits-sense). */
export interface MachineStartup {
  readonly minMinutes: number;
  readonly maxMinutes: number;
  /** One of its machines, in words ("a Rescale machine"). */
  readonly machine: string;
}

/** The image a job's machines run on a backend, and what is known of it (the image rules). */
export interface JobImage {
  readonly facts: ImageFacts;
  /** The job file field that chose it (`backends.vertex.container_image`), or undefined for the backend's default. */
  readonly field: string | undefined;
}

/**
 * What one backend knows about validating a job: `adapters/<name>/<name>-validation.ts`, reached through the
 * registry (src/core/backends.ts), loaded only for the backends a job is checked for. Plain data and pure functions
 * over the job and the catalogs: no provider call, no cloud SDK. The generic rules ask it for the backend's part of
 * their check (so they never name a backend); `rules` are the backend's own.
 */
export interface BackendValidation {
  /**
   * command-typo: the commands its machines have before setup installs anything (its image, or this machine's PATH).
   */
  commands(machine: ThisMachine): ReadonlySet<string>;
  /** unset-variable: variables its machines set for every job, beyond dlrun's own DLRUN_*. */
  readonly providedVariables: readonly string[];
  /** limits-sense: how long its machines take to start, when that is long enough for a max_runtime to end first. */
  readonly startup: MachineStartup | undefined;
  /** unknown-machine-type: the machine names of its block (checked whenever the file has the block). */
  machineNames?(job: JobSpec): readonly MachineName[];
  /** gpu-too-old: the GPUs of the machine its block names, when it names one that has GPUs. */
  machineGpus?(job: JobSpec): JobGpus | undefined;
  /** gpu-mismatch: where its block's machine contradicts `resources` (another GPU, fewer, less memory). */
  mismatches?(job: JobSpec): SettingFinding[];
  /**
   * limits-sense: why a max_cost has no effect when the job runs only here (its time costs nothing), else undefined.
   */
  budgetWithoutCost?(job: JobSpec): Omit<SettingFinding, 'field' | 'severity'> | undefined;
  /**
   * image-command, sh-not-bash, pip-externally-managed, no-wheel-for-python: the image the job runs on, when the
   * backend can tell it from the job (its default, or an image it recognises by name); undefined is never judged.
   */
  image?(job: JobSpec, machine: ThisMachine): JobImage | undefined;
  /**
   * foreign-cloud-tool: the clouds (`aws`, `gcp`) whose command-line tools find credentials on its machines without
   * the job giving any (an instance role, a service account). Absent: none.
   */
  readonly ambientClouds?: readonly CloudName[];
  /** Rules about this backend alone, each a file of its own under `adapters/<name>/rules/`, named after its id. */
  readonly rules: readonly Rule[];
}

/** Whether a job runs on the machine that submits it on this backend (its PATH, its GPUs, its files are the job's). */
export function runsHere(context: Pick<ValidationContext, 'capabilities'>, backend: BackendName): boolean {
  return context.capabilities[backend]?.runsOnSubmittingMachine.supported === true;
}

/** The validation module of a backend the job is checked for (the validator loads one for every target). */
export function backendValidation(
  context: Pick<ValidationContext, 'backends'>,
  backend: BackendName,
): BackendValidation {
  const validation = context.backends[backend];
  if (!validation) throw new InternalError(`the validation module of ${backend} was not loaded`);
  return validation;
}
