import { findingAt } from '../../../src/base/finding.js';
import { findGpu } from '../../../src/cost/catalogs/index.js';
import { gpuNameMatches } from '../../../src/validate/local-gpus.js';
import type { Rule } from '../../../src/validate/rule.js';

/**
 * A job for this machine asking for a GPU it does not have (none, fewer, another model), as far as nvidia-smi or
 * the NVIDIA driver tell (src/validate/local-gpus.ts). A warning, not an error: the job may fall back to the CPU,
 * and a GPU dlrun cannot see (another vendor's, one in a container's host) may still be there.
 */
export const localGpu: Rule = {
  id: 'local-gpu',
  summary: 'a local job asking for a GPU this machine does not have (none, fewer, another model)',
  check({ job, machine }) {
    const wanted = job.resources.gpu;
    if (!wanted) return [];
    const found = machine.gpus;
    if (!found) return [];
    const model = findGpu(wanted.model)?.name ?? wanted.model;
    const asked = `resources.gpu asks for ${wanted.count} ${model}`;
    const at = (message: string): ReturnType<typeof findingAt> =>
      findingAt(job, 'resources.gpu', {
        rule: 'local-gpu',
        severity: 'warning',
        message,
        hint: 'run it where there is one (another backend, --backend B), or drop resources.gpu to run on the CPU here',
      });
    if (found.names.length === 0) {
      if (found.failure)
        return [at(`${asked}, but this machine has no GPU a job can use (nvidia-smi: ${found.failure})`)];
      const how =
        found.source === 'none'
          ? 'no nvidia-smi on the PATH and no NVIDIA driver loaded'
          : found.source === 'nvidia-smi'
            ? 'nvidia-smi finds none'
            : 'the NVIDIA driver lists none';
      return [at(`${asked}, but this machine has no GPU (${how})`)];
    }
    const matching = found.names.filter((name) => gpuNameMatches(name, model));
    const listed = summarise(found.names);
    if (matching.length === 0) return [at(`${asked}, but this machine has ${listed}`)];
    if (matching.length < wanted.count)
      return [
        at(
          `${asked}, but this machine has ` +
            (matching.length === found.names.length ? listed : `${matching.length} of them (${listed})`),
        ),
      ];
    return [];
  },
};

/** "1 Tesla T4", "2 NVIDIA A100-SXM4-40GB and 1 Tesla T4". */
function summarise(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${count} ${name}`).join(' and ');
}
