import type { Finding } from '../../base/finding.js';
import { findingAt } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { launcherCall, literalCount } from '../launcher-options.js';
import { jobGpus } from '../machine-gpus.js';
import { backendValidation, scriptFinding, type Rule, type ValidationContext } from '../rule.js';
import type { Word } from '../shell/script-model.js';

/**
 * More processes per node than the machine has GPUs (`torchrun --nproc_per_node 8` on a 1-GPU machine, deepspeed's
 * `--num_gpus`, accelerate's `--num_processes`), or CUDA_VISIBLE_DEVICES naming a GPU the machine does not have:
 * the processes without a GPU stop with "invalid device ordinal" (or CUDA sees no GPU at all) once the machine is up.
 * The GPU count is the backend's machine's, else resources.gpu's; a job that names neither is not judged.
 */
export const gpuProcesses: Rule = {
  id: 'gpu-processes',
  summary: 'more processes per node than GPUs, or CUDA_VISIBLE_DEVICES naming GPUs the machine lacks',
  check(context) {
    const gpus = fewestGpus(context);
    if (!gpus) return [];
    const findings: Finding[] = [];
    const has = `${gpus.machine} has ${gpus.count} GPU${gpus.count === 1 ? '' : 's'}`;
    for (const script of context.scripts)
      for (const command of script.parsed.commands) {
        // A command inside a condition may be the branch for a bigger machine (`if [ "$GPUS" -ge 8 ]`).
        if (command.nested) continue;
        const call = launcherCall(command);
        // `accelerate launch --cpu`: processes on the CPU, not one per GPU.
        if (call && !call.flags.has('cpu') && !call.flags.has('use_cpu')) {
          const key = { torchrun: 'nproc_per_node', deepspeed: 'num_gpus', accelerate: 'num_processes' }[call.launcher];
          const option = call.options.get(key);
          let perNode = literalCount(option);
          // accelerate counts processes over all machines.
          if (call.launcher === 'accelerate' && perNode !== undefined) {
            const machines =
              literalCount(call.options.get('num_machines')) ?? (context.job.resources.nodes > 1 ? undefined : 1);
            perNode = machines === undefined ? undefined : Math.ceil(perNode / machines);
          }
          if (option && perNode !== undefined && perNode > gpus.count)
            findings.push(
              scriptFinding(script, option.word.position, {
                rule: 'gpu-processes',
                severity: 'error',
                message:
                  `${call.launcher} starts ${perNode} processes per node, but the ${has}: ` +
                  `the processes past GPU ${gpus.count - 1} stop with "invalid device ordinal"`,
                hint: `use --${key} "$DLRUN_GPUS_PER_NODE"`,
              }),
            );
        }
        for (const [word, value] of visibleDevices(command)) {
          const beyond = beyondMachine(value, gpus.count);
          if (beyond !== undefined)
            findings.push(
              scriptFinding(script, word.position, {
                rule: 'gpu-processes',
                severity: 'error',
                message: visibleMessage(value, beyond, has),
                hint: `name GPUs 0 to ${gpus.count - 1}, or leave CUDA_VISIBLE_DEVICES unset`,
              }),
            );
        }
      }
    const inEnv = context.job.env?.CUDA_VISIBLE_DEVICES;
    const beyond = inEnv === undefined ? undefined : beyondMachine(String(inEnv), gpus.count);
    if (beyond !== undefined)
      findings.push(
        findingAt(context.job, 'env.CUDA_VISIBLE_DEVICES', {
          rule: 'gpu-processes',
          severity: 'error',
          message: visibleMessage(String(inEnv), beyond, has),
          hint: `name GPUs 0 to ${gpus.count - 1}, or leave CUDA_VISIBLE_DEVICES unset`,
        }),
      );
    return findings;
  },
};

/** The smallest GPU count among the target backends' machines, where it is known for every one of them. */
function fewestGpus(context: ValidationContext): { count: number; machine: string } | undefined {
  let fewest: { count: number; machine: string } | undefined;
  for (const target of context.targets) {
    const gpus = jobGpus(context.job, backendValidation(context, target));
    if (!gpus) return undefined;
    if (!fewest || gpus.count < fewest.count)
      fewest = {
        count: gpus.count,
        machine: gpus.machine ? `${gpus.machine} machine` : `machine ${gpus.field} asks for`,
      };
  }
  return fewest;
}

/** The first GPU index past the machine's, in a literal list of indexes (`0,1,2,3`); UUIDs are not judged. */
function beyondMachine(value: string, count: number): number | undefined {
  if (!/^\s*\d+(\s*,\s*\d+)*\s*$/.test(value)) return undefined;
  return value
    .split(',')
    .map(Number)
    .find((index) => index >= count);
}

function visibleMessage(value: string, index: number, has: string): string {
  return `CUDA_VISIBLE_DEVICES=${value} names GPU ${index}, but the ${has}: CUDA hides the GPUs it cannot find`;
}

/** `CUDA_VISIBLE_DEVICES=0,1 python ...`, `export CUDA_VISIBLE_DEVICES=0,1`: the value when it is literal. */
function visibleDevices(command: Parameters<typeof effectiveCommand>[0]): [Word, string][] {
  const found: [Word, string][] = [];
  for (const assignment of command.assignments)
    if (assignment.name === 'CUDA_VISIBLE_DEVICES' && assignment.value?.literal !== undefined)
      found.push([assignment.value, assignment.value.literal]);
  const effective = effectiveCommand(command);
  if (effective?.name === 'export')
    for (const word of effective.args) {
      const match = /^CUDA_VISIBLE_DEVICES=(.*)$/.exec(word.literal ?? '');
      if (match) found.push([word, match[1]!]);
    }
  return found;
}
