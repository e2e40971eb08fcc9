import type { Finding } from '../../base/finding.js';
import { cudaMinimumComputeCapability, cudaNewestComputeCapability } from '../../cost/catalogs/index.js';
import { jobGpus } from '../machine-gpus.js';
import { installsOf, itemFinding } from '../python/job-pip.js';
import { localLabel, pinnedVersion } from '../python/pep440.js';
import { backendValidation, type Rule } from '../rule.js';

/** PyTorch's packages whose builds carry the CUDA version in their label or index (`+cu118`, `/whl/cu118`). */
const CUDA_BUILT = new Set(['torch', 'torchvision', 'torchaudio']);

/**
 * The PyTorch build a job actually installs (`torch==1.13.1+cu117`, or any torch from `.../whl/cu117`) against the
 * GPUs it gets: a build whose CUDA toolkit predates the GPU's architecture has no kernels for it ("no kernel image
 * is available for execution on the device"; torch +cu102 on an A100, +cu117 on an H100), and one whose toolkit
 * dropped the GPU's architecture cannot run there either (a K80 under CUDA 12). gpu-too-old judges `framework:`.
 */
export const cudaBuildGpu: Rule = {
  id: 'cuda-build-gpu',
  summary: "a pinned PyTorch CUDA build (+cu102, /whl/cu117) that has no kernels for the job's GPU",
  check(context) {
    const findings: Finding[] = [];
    const gpus = context.targets
      .map((target) => jobGpus(context.job, backendValidation(context, target)))
      .filter((found) => found !== undefined);
    if (gpus.length === 0) return findings;
    for (const install of installsOf(context)) {
      const fromIndex = install.indexes
        .map((url) => /download\.pytorch\.org\/whl\/cu(\d+)(\d)\/?$/i.exec(url))
        .find((match) => match !== null);
      // One finding per install: at torch when it is there, else at the first of its companions.
      const items = install.items.filter((item) => item.name && CUDA_BUILT.has(item.name) && !item.constraint);
      const torch = items.filter((item) => item.name === 'torch');
      for (const item of torch.length ? torch : items.slice(0, 1)) {
        const label = localLabel(pinnedVersion(item.specifiers) ?? '');
        const fromLabel = label ? /^cu(\d+)(\d)$/.exec(label) : null;
        if (label && !fromLabel) continue;
        const match = fromLabel ?? (install.indexes.length === 1 ? fromIndex : undefined);
        if (!match) continue;
        const cuda = `${match[1]}.${match[2]}`;
        const newest = cudaNewestComputeCapability(cuda);
        const oldest = cudaMinimumComputeCapability(cuda);
        for (const { gpu, machine } of gpus) {
          const capability = gpu.compute_capability.toFixed(1);
          const on = machine ? `${machine}'s ${gpu.name}` : `the ${gpu.name}`;
          const tooNew = newest !== undefined && Math.floor(gpu.compute_capability) > Math.floor(newest);
          const tooOld = oldest !== undefined && gpu.compute_capability < oldest;
          if (!tooNew && !tooOld) continue;
          findings.push(
            itemFinding(item, {
              rule: 'cuda-build-gpu',
              severity: 'error',
              message: tooNew
                ? `this CUDA ${cuda} build of ${item.name} has no kernels for ${on} (compute ` +
                  `capability ${capability}): CUDA ${cuda} compiles for ${newest.toFixed(1)} at most`
                : `this CUDA ${cuda} build of ${item.name} cannot run on ${on} (compute ` +
                  `capability ${capability}): CUDA ${cuda.split('.')[0]} dropped it`,
              hint: tooNew
                ? `install a build made with a newer CUDA (a newer ${item.name} ` +
                  `from https://download.pytorch.org/whl/cu118 or later)`
                : 'pick a newer GPU, or a build made with an older CUDA',
            }),
          );
          break;
        }
      }
    }
    return findings;
  },
};
