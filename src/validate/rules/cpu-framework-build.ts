import path from 'node:path';
import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { jobGpus } from '../machine-gpus.js';
import { backendValidation, scriptFinding, type Rule, type ValidationContext } from '../rule.js';
import { normalise } from '../workdir-view.js';

/** A CPU-only build of a framework, as pip is asked for it, and what to install instead. */
const CPU_BUILDS: readonly { readonly pattern: RegExp; readonly what: string; readonly instead: string }[] = [
  {
    pattern: /^(torch|torchvision|torchaudio)\s*==\s*[\w.]+\+cpu\b/i,
    what: 'a CPU-only PyTorch wheel (+cpu)',
    instead:
      'pin the CUDA build (+cu121 with --index-url https://download.pytorch.org/whl/cu121), or the plain version',
  },
  {
    pattern: /^https?:\/\/download\.pytorch\.org\/whl\/cpu\/?$/i,
    what: "PyTorch's CPU-only index (download.pytorch.org/whl/cpu)",
    instead: 'use https://download.pytorch.org/whl/cu121 (or the CUDA version the machine has)',
  },
  {
    pattern: /^tensorflow-cpu\b/i,
    what: 'tensorflow-cpu',
    instead: 'install tensorflow[and-cuda] (TensorFlow 2.14 and newer) or tensorflow',
  },
  { pattern: /^jax\[cpu\]/i, what: 'jax[cpu]', instead: 'install jax[cuda12]' },
];
const INDEX_OPTIONS = /^(--index-url|--extra-index-url|-i|-f|--find-links)(=(.*))?$/;

/**
 * A CPU-only framework build installed on a machine with GPUs: the job runs, on the CPU, for hours, and pays for GPUs
 * it never uses. A warning: a CPU build may be meant for a step that needs no GPU. Read in `pip install` lines and
 * the requirements files they name (`-r`).
 */
export const cpuFrameworkBuild: Rule = {
  id: 'cpu-framework-build',
  summary: 'a CPU-only build of PyTorch, TensorFlow or JAX installed on a machine with GPUs',
  check(context) {
    if (!hasGpus(context)) return [];
    const findings: Finding[] = [];
    const report = (
      what: string,
      instead: string,
      place: (details: Omit<Finding, 'file' | 'line' | 'column'>) => Finding,
    ) =>
      findings.push(
        place({
          rule: 'cpu-framework-build',
          severity: 'warning',
          message: `${what} on a machine with GPUs: the framework will not see them, and training runs on the CPU`,
          hint: instead,
        }),
      );
    const files = new Set<string>();
    for (const script of context.scripts) {
      let directory: string | undefined = script.directory;
      for (const command of script.parsed.commands) {
        const effective = effectiveCommand(command);
        if (!effective) continue;
        if (effective.name === 'cd') directory = undefined;
        const args = effective.args;
        const pip =
          /^(pip3?|uv)$/.test(effective.name) ||
          args.some((arg, index) => arg.literal === '-m' && args[index + 1]?.literal === 'pip');
        if (!pip || !args.some((arg) => arg.literal === 'install')) continue;
        for (let index = 0; index < args.length; index++) {
          const text = args[index]!.literal ?? '';
          const option = INDEX_OPTIONS.exec(text);
          const value = option ? (option[2] ? option[3] : args[index + 1]?.literal) : text;
          const build = value === undefined ? undefined : CPU_BUILDS.find((each) => each.pattern.test(value));
          if (build)
            report(build.what, build.instead, (details) => scriptFinding(script, args[index]!.position, details));
          if ((text === '-r' || text === '--requirement') && args[index + 1]?.literal && directory !== undefined) {
            const file = normalise(path.posix.join(directory, args[index + 1]!.literal!));
            if (file) files.add(file);
          }
        }
      }
    }
    for (const file of files) {
      const read = context.workdir.read(file, { maxBytes: 1024 * 1024 });
      if (!read.ok) continue;
      const shown = path.relative(context.job.source.dir, context.workdir.absolute(file)!);
      read.bytes
        .toString('utf8')
        .split('\n')
        .forEach((line, index) => {
          const text = line.replace(/\s+#.*$/, '').trim();
          const option = /^(--index-url|--extra-index-url|-i|-f|--find-links)[=\s]\s*(\S+)/.exec(text);
          const value = option ? option[2]! : text;
          const build = CPU_BUILDS.find((each) => each.pattern.test(value));
          if (build)
            report(build.what, build.instead, (details) => ({
              ...details,
              file: shown,
              line: index + 1,
              column: null,
            }));
        });
    }
    return findings;
  },
};

/** Whether the machine has GPUs on every backend the job is checked for (resources.gpu or the machine named). */
function hasGpus(context: ValidationContext): boolean {
  return context.targets.every((target) => (jobGpus(context.job, backendValidation(context, target))?.count ?? 0) > 0);
}
