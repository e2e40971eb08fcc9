import path from 'node:path';
import type { BackendCapabilities } from '../backend/capabilities.js';
import type { BackendPricing } from '../cost/backend-pricing.js';
import type { Finding } from '../base/finding.js';
import { sortFindings } from '../base/finding.js';
import { BACKEND_NAMES, type BackendName } from '../spec/backend-names.js';
import type { JobSpec } from '../spec/job-spec.js';
import { collectScripts } from './collect-scripts.js';
import { bashSyntax } from './external/bash-syntax.js';
import { pythonSyntax } from './external/python-syntax.js';
import { shellcheck } from './external/shellcheck.js';
import { ToolCache } from './external/tool-cache.js';
import type { BackendValidation, ValidationContext } from './rule.js';
import { runRules } from './rules/index.js';
import { homeFolders, thisMachine } from './this-machine.js';
import { workdirBoundsFinding } from './workdir-bounds.js';
import { WorkdirView } from './workdir-view.js';

export interface ValidateOptions {
  /** `--backend B`: check for this backend only. */
  readonly backend?: BackendName;
  /**
   * What a job on this machine inherits from the submitting shell (its
   * PATH is this machine's commands, and where the checkers are found).
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * dlrun's own settings (the shell, and `.env` in a folder the user allowed): where the provider settings a submit
   * would use come from (the AWS region). Defaults to `env`.
   */
  readonly settings?: Readonly<Record<string, string | undefined>>;
  /** Where the external checkers' results are kept between runs (DLRUN_HOME/cache/checks); none when undefined. */
  readonly cacheFolder?: string;
  /** Run shellcheck when it is installed (default true). */
  readonly shellcheck?: boolean;
  /**
   * What the validator asks of each backend, from the registry (src/core/backends.ts), which validate may not import.
   */
  readonly backends: BackendSource;
}

/** Where a backend's capabilities and validation module come from: the registry's loaders. */
export interface BackendSource {
  readonly capabilities: (name: BackendName) => Promise<BackendCapabilities>;
  readonly validation: (name: BackendName) => Promise<BackendValidation>;
  /** Its price rules (offline), for the money floors; absent, or undefined for a backend without prices. */
  readonly pricing?: (name: BackendName) => Promise<BackendPricing | undefined>;
}

export interface ValidationResult {
  readonly findings: readonly Finding[];
  readonly targets: readonly BackendName[];
  /** Whether shellcheck ran (false when it is not installed or was turned off). */
  readonly shellcheckRan: boolean;
}

/**
 * Every check that needs no money: the job's scripts (and the script files they run) and its settings, for the
 * backends it is meant for. The rules are pure; bash -n, python3 and shellcheck run as separate processes, at once.
 */
export async function validateJob(job: JobSpec, options: ValidateOptions): Promise<ValidationResult> {
  const { targets, portable } = targetsOf(job, options.backend);
  // Before the workdir is listed: listing `/` or a home folder would take long, and nothing after it matters.
  const bounds = workdirBoundsFinding(job, homeFolders(options.env));
  if (bounds) return { findings: [bounds], targets, shellcheckRan: false };
  // The backends' modules load (file reads the event loop waits on) while the workdir is listed and the scripts
  // parsed; the handler only keeps a failure from counting as unhandled if the listing throws first.
  const backendsLoading = loadBackends(job, targets, options.backends);
  backendsLoading.catch(() => undefined);
  const workdir = new WorkdirView(job.workdir);
  const collected = collectScripts(job, workdir);
  const tools = new ToolCache(options.cacheFolder, options.env.PATH ?? '');
  const backends = await backendsLoading;
  // The rules about Python code need python3's reading of it: that one process is awaited before the rules run,
  // while bash -n and shellcheck go on beside them.
  const python = pythonSyntax(collected.scripts, workdir, job.source.dir, tools);
  const external = Promise.all([
    bashSyntax(collected.scripts, tools),
    options.shellcheck === false ? Promise.resolve(undefined) : shellcheck(collected.scripts, tools),
  ]);
  const pythonCheck = await python;
  const context: ValidationContext = {
    job,
    targets,
    portable,
    scripts: collected.scripts,
    calls: collected.calls,
    workdir,
    machine: thisMachine(options.env, options.settings ?? options.env),
    ...backends,
    python: pythonCheck.programs,
  };
  const findings = [...collected.findings, ...runRules(context)];
  const [bash, shellcheckFindings] = await external;
  findings.push(...bash, ...pythonCheck.findings, ...(shellcheckFindings ?? []), ...notRegularFindings(job, workdir));
  return { findings: sortFindings(deduplicate(findings)), targets, shellcheckRan: shellcheckFindings !== undefined };
}

/**
 * The backends a check is for (JOB-SPEC.md section 1): --backend; else those the file names (`backend:` and the
 * keys of `backends:`); a file that names none is portable and is checked for every backend.
 */
export function targetsOf(
  job: JobSpec,
  backend: BackendName | undefined,
): { targets: BackendName[]; portable: boolean } {
  if (backend) return { targets: [backend], portable: false };
  const named = new Set<BackendName>(Object.keys(job.backends ?? {}) as BackendName[]);
  if (job.source.positions.backend !== undefined) named.add(job.backend);
  if (named.size === 0) return { targets: [...BACKEND_NAMES], portable: true };
  return { targets: BACKEND_NAMES.filter((name) => named.has(name)), portable: false };
}

/**
 * The capabilities and validation modules of the target backends and of every other backend whose block the file
 * has (its machine names are checked all the same), in the order of BACKEND_NAMES; no other backend's are loaded.
 */
export async function loadBackends(
  job: JobSpec,
  targets: readonly BackendName[],
  source: BackendSource,
): Promise<Pick<ValidationContext, 'capabilities' | 'backends' | 'pricing'>> {
  const names = BACKEND_NAMES.filter((name) => targets.includes(name) || job.backends?.[name] !== undefined);
  // Every module at once: each is a chain of dynamic imports, and waiting on one before starting the next would
  // add the chains' lengths up.
  const loading = Promise.all(
    names.map(async (name) => {
      const [capabilities, validation] = await Promise.all([source.capabilities(name), source.validation(name)]);
      return [name, capabilities, validation] as const;
    }),
  );
  // Prices only for the backends the job is checked for: a money floor is about where it will run.
  const pricing = Promise.all(
    targets.map(async (name) => [name, source.pricing ? await source.pricing(name) : undefined] as const),
  );
  pricing.catch(() => undefined);
  const loaded = await loading;
  const priced = await pricing;
  return {
    capabilities: Object.fromEntries(loaded.map(([name, capabilities]) => [name, capabilities])),
    backends: Object.fromEntries(loaded.map(([name, , validation]) => [name, validation])),
    pricing: Object.fromEntries(priced.filter(([, pricing]) => pricing !== undefined)),
  };
}

/**
 * Files that are not regular files: a shipped link to one (to /dev/zero, to a FIFO) that the job reads was not
 * read (a warning: the job cannot use it as a file either), and FIFOs, sockets and devices in the workdir are not
 * shipped (info). Each is noted once, at the file; the finding's source line is never read from such a file.
 */
function notRegularFindings(job: JobSpec, workdir: WorkdirView): Finding[] {
  const at = (relative: string): Pick<Finding, 'rule' | 'file' | 'line' | 'column'> => ({
    rule: 'not-a-regular-file',
    file: path.relative(job.source.dir, path.join(workdir.root, relative)),
    line: 1,
    column: null,
  });
  return [
    ...[...workdir.notRegular()].map(
      ([relative, what]): Finding => ({
        ...at(relative),
        severity: 'warning',
        message: `${relative} is not a regular file (${what}), so it was not checked; reading it may never end`,
        hint: 'replace it with the file the job means to read',
      }),
    ),
    ...workdir.manifest.notShipped.map(
      (special): Finding => ({
        ...at(special.path),
        severity: 'info',
        message: `${special.path} is ${special.kind}, not a regular file: it is not shipped`,
      }),
    ),
  ];
}

/** The same problem found twice (by a rule and by bash or shellcheck at the same place) is reported once. */
function deduplicate(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const rule = finding.rule.startsWith('shellcheck/') ? 'shellcheck' : finding.rule;
    const key = `${finding.file}:${finding.line}:${rule}:${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
