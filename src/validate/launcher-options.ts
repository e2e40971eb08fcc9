import { effectiveCommand } from './command-words.js';
import type { SimpleCommand, Word } from './shell/script-model.js';

/** The distributed launchers whose options wire processes, nodes and the master together. */
export type Launcher = 'torchrun' | 'accelerate' | 'deepspeed';

/** One option given to a launcher: the word it is written in, and its value when that is literal text. */
export interface LauncherOption {
  readonly word: Word;
  /** undefined when the value holds an expansion (`"$DLRUN_NODE_RANK"`): dlrun's or the script's, not judged. */
  readonly value: string | undefined;
}

export interface LauncherCall {
  readonly launcher: Launcher;
  /** Options before the training script, by name with `-` spelt `_` (`node_rank`, `nproc_per_node`). */
  readonly options: ReadonlyMap<string, LauncherOption>;
  /** Flags without a value that matter here (`standalone`). */
  readonly flags: ReadonlySet<string>;
}

/** Options of the launchers that take no value; any other `--option` takes the next word unless written `--a=b`. */
const NO_VALUE = new Set([
  'standalone',
  'no_python',
  'module',
  'm',
  'multi_gpu',
  'use_deepspeed',
  'use_fsdp',
  'use_megatron_lm',
  'cpu',
  'use_cpu',
  'use_env',
  'bind_cores_to_rank',
  'no_local_rank',
  'autotuning',
  'force_multi',
  'enable_each_rank_log',
  'quiet',
  'q',
  'debug',
  'tpu',
  'same_network',
  'no_ssh_check',
  'save_pid',
  'elastic_training',
  'dynamo_use_fullgraph',
  'dynamo_use_dynamic',
]);

/**
 * A launcher and its options, for `torchrun`, `python -m torch.distributed.run` (and `.launch`), `accelerate launch`
 * and `deepspeed`, read up to the training script (the first operand ending in `.py`, or the module after `-m`).
 */
export function launcherCall(command: SimpleCommand): LauncherCall | undefined {
  const effective = effectiveCommand(command);
  if (!effective) return undefined;
  const { name, args } = effective;
  let launcher: Launcher;
  let rest: readonly Word[];
  if (name === 'torchrun' || name === 'deepspeed') [launcher, rest] = [name, args];
  else if (name === 'accelerate' && args[0]?.literal === 'launch') [launcher, rest] = ['accelerate', args.slice(1)];
  else if (
    /^python(3(\.\d+)?)?$/.test(name) &&
    args[0]?.literal === '-m' &&
    ['torch.distributed.run', 'torch.distributed.launch'].includes(args[1]?.literal ?? '')
  )
    [launcher, rest] = ['torchrun', args.slice(2)];
  else return undefined;
  const options = new Map<string, LauncherOption>();
  const flags = new Set<string>();
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index]!;
    const text = word.literal ?? word.raw;
    if (!text.startsWith('-') || text === '--') break;
    const inline = /^--?([A-Za-z][\w-]*)=/.exec(text);
    if (inline) {
      const key = inline[1]!.replace(/-/g, '_');
      options.set(key, { word, value: word.literal?.slice(inline[0].length) });
      continue;
    }
    const key = text.replace(/^--?/, '').replace(/-/g, '_');
    if (NO_VALUE.has(key)) {
      flags.add(key);
      if (key === 'm' || key === 'module') break;
      continue;
    }
    const value = rest[index + 1];
    if (value === undefined) break;
    options.set(key, { word, value: value.literal });
    index += 1;
  }
  return { launcher, options, flags };
}

/** A whole number written out, else undefined. */
export function literalCount(option: LauncherOption | undefined): number | undefined {
  return option?.value !== undefined && /^\d+$/.test(option.value) ? Number(option.value) : undefined;
}
