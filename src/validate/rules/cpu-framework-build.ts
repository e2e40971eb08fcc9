import type { Finding } from '../../base/finding.js';
import { jobGpus } from '../machine-gpus.js';
import { installsOf, itemFinding } from '../python/job-pip.js';
import { backendValidation, type Rule, type ValidationContext } from '../rule.js';

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

/**
 * A CPU-only framework build installed on a machine with GPUs: the job runs, on the CPU, for hours, and pays for GPUs
 * it never uses. A warning: a CPU build may be meant for a step that needs no GPU. Read in every install pip makes
 * (installsOf): `pip install` lines, the requirements files they name (nested ones too), the pyproject.toml of a
 * folder installed, a conda environment file's `pip:` section; with the index and find-links URLs given there.
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
    for (const install of installsOf(context)) {
      for (const item of install.items) {
        const build = item.constraint ? undefined : CPU_BUILDS.find((each) => each.pattern.test(item.text.trim()));
        if (build) report(build.what, build.instead, (details) => itemFinding(item, details));
      }
      for (const { url, ...place } of install.indexPlaces ?? []) {
        const build = CPU_BUILDS.find((each) => each.pattern.test(url));
        if (build) report(build.what, build.instead, (details) => ({ ...details, ...place }));
      }
    }
    return findings;
  },
};

/** Whether the machine has GPUs on every backend the job is checked for (resources.gpu or the machine named). */
function hasGpus(context: ValidationContext): boolean {
  return context.targets.every((target) => (jobGpus(context.job, backendValidation(context, target))?.count ?? 0) > 0);
}
