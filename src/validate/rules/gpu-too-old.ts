import type { Finding } from '../../base/finding.js';
import { findingAt } from '../../base/finding.js';
import { computeSupport } from '../../cost/catalogs/index.js';
import { jobGpus } from '../machine-gpus.js';
import { backendValidation, type Rule } from '../rule.js';

/**
 * A GPU too old for the framework version the job pins: the EC2 K520 (g2) and K80 (p2) generations against
 * current PyTorch and TensorFlow wheels, a V100 against CUDA 13 builds. Compared by CUDA compute capability, with
 * each version's official builds from the catalog: no build runs on it is an error; only some builds (say the
 * CUDA 11.8 wheels) is a warning that names them.
 */
export const gpuTooOld: Rule = {
  id: 'gpu-too-old',
  summary: 'a GPU too old (or too new) for the framework version the job pins',
  check(context) {
    const { job, targets } = context;
    const framework = job.framework;
    if (!framework) return [];
    const support = computeSupport(framework.name, framework.version);
    if (!support) return [];
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const target of targets) {
      const gpus = jobGpus(job, backendValidation(context, target));
      if (!gpus || seen.has(`${gpus.field}:${gpus.gpu.name}`)) continue;
      seen.add(`${gpus.field}:${gpus.gpu.name}`);
      const capability = gpus.gpu.compute_capability;
      const runs = support.builds.filter((build) => build.minimum <= capability);
      const on = gpus.machine
        ? `${gpus.machine} (${gpus.gpu.name}, compute capability ${capability})`
        : `${gpus.gpu.name} (compute capability ${capability})`;
      const pin = `${framework.name}==${framework.version}`;
      if (runs.length === 0) {
        findings.push(
          findingAt(job, gpus.field, {
            rule: 'gpu-too-old',
            severity: 'error',
            message: `${pin} does not run on ${on}: its GPU builds need compute capability ${support.minimum} or newer`,
            hint:
              `pick a newer GPU, or pin a ${framework.name} version that still supports ${gpus.gpu.name}` +
              (support.unconfirmed ? ` (the catalog marks this figure unconfirmed: ${support.source[0]})` : ''),
          }),
        );
      } else if (runs.length < support.builds.length) {
        const cuda = runs.map((build) => build.cuda).filter((value): value is string => value !== undefined);
        findings.push(
          findingAt(job, gpus.field, {
            rule: 'gpu-too-old',
            severity: 'warning',
            message:
              `only some builds of ${pin} run on ${on}${cuda.length ? `: the CUDA ${cuda.join(', ')} ones` : ''}; ` +
              'the default wheel may not',
            hint: cuda.length
              ? `install the CUDA ${cuda[0]} build explicitly ` +
                `(pip install ${framework.name === 'pytorch' ? 'torch' : framework.name}==${framework.version} ` +
                `--index-url https://download.pytorch.org/whl/cu${cuda[0]!.replace('.', '')})`
              : 'check which build supports this GPU',
          }),
        );
      } else if (support.newest !== undefined && capability > support.newest && !support.ptx) {
        findings.push(
          findingAt(job, gpus.field, {
            rule: 'gpu-too-old',
            severity: 'error',
            message: `${pin} has no kernels for ${on}: its builds stop at compute capability ${support.newest}`,
            hint: `pin a newer ${framework.name}`,
          }),
        );
      }
    }
    return findings;
  },
};
