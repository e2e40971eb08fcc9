import type { Finding } from '../../base/finding.js';
import type { BackendName } from '../../spec/backend-names.js';
import { effectiveCommand } from '../command-words.js';
import { isLookup } from '../work-commands.js';
import { backendValidation, runsHere, scriptFinding, type Rule, type ValidationContext } from '../rule.js';

/** Tools that need an NVIDIA GPU and its driver, and fail without one. */
const GPU_TOOLS = new Set(['nvidia-smi', 'gpustat', 'nvitop', 'nvtop', 'dcgmi']);

/**
 * `nvidia-smi` (and the like) on a machine without a GPU: the job asks for none (no resources.gpu, and the machine
 * its backend block names, when the catalog knows it, has none), so the tool is missing or finds no driver and fails;
 * in dlrun's inline scripts (set -e) the job stops there. Guarded calls (`|| true`, in a condition, after
 * `command -v nvidia-smi &&`) are fine. A warning: the GPU may have been left out of resources by mistake, or the
 * tool only reports. Only for a job that names its backends (a portable one may run here, on a GPU).
 */
export const gpuToolWithoutGpu: Rule = {
  id: 'gpu-tool-without-gpu',
  summary: 'nvidia-smi or another GPU tool in a job whose machine has no GPU',
  check(context) {
    const { job, targets } = context;
    if (context.portable || job.resources?.gpu !== undefined) return [];
    if (!targets.length || !targets.every((target) => !runsHere(context, target) && hasNoGpu(context, target)))
      return [];
    const findings: Finding[] = [];
    for (const script of context.scripts) {
      const commands = script.parsed.commands;
      commands.forEach((command, index) => {
        const effective = effectiveCommand(command);
        if (!effective || !GPU_TOOLS.has(effective.name) || command.nested || command.orElse || isLookup(command))
          return;
        if (commands[index - 1]?.andThen || command.background) return;
        findings.push(
          scriptFinding(script, effective.nameWord.position, {
            rule: 'gpu-tool-without-gpu',
            severity: 'warning',
            message:
              `${effective.name} needs an NVIDIA GPU, and this job's ${targets.join(' or ')} machine has none ` +
              '(no resources.gpu): it fails there, and under set -e the job stops',
            hint: `ask for a GPU (resources: gpu: T4), or guard it: ${effective.name} || true`,
          }),
        );
      });
    }
    return findings;
  },
};

/** No GPU on the backend's machine: none asked for, and the machine its block names (if any) is known to have none. */
function hasNoGpu(context: ValidationContext, target: BackendName): boolean {
  const validation = backendValidation(context, target);
  if (validation.machineGpus?.(context.job)) return false;
  // A machine named but not in the catalog (newer than it) may have GPUs: nothing can be told.
  const named = validation.machineNames?.(context.job) ?? [];
  return named.every((machine) => machine.value === undefined || machine.find(machine.value) !== undefined);
}
