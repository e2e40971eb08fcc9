import { effectiveCommand, literals, operands, shellOperand } from './command-words.js';
import type { SimpleCommand, Word } from './shell/script-model.js';

/** A file or folder a command reads, which must be there before it runs. */
export interface InputPath {
  readonly word: Word;
  readonly path: string;
  readonly kind:
    | 'script'
    | 'requirements'
    | 'environment file'
    | 'sourced file'
    | 'folder'
    | 'input file'
    | 'config file';
}

const PYTHON_OPTIONS_WITH_VALUE = ['-W', '-X', '-Q'];
const LAUNCHER_OPTIONS_WITH_VALUE = [
  '--nnodes',
  '--nproc_per_node',
  '--nproc-per-node',
  '--node_rank',
  '--node-rank',
  '--master_addr',
  '--master-addr',
  '--master_port',
  '--master-port',
  '--rdzv_backend',
  '--rdzv-backend',
  '--rdzv_endpoint',
  '--rdzv-endpoint',
  '--rdzv_id',
  '--rdzv-id',
  '--rdzv_conf',
  '--rdzv-conf',
  '--max_restarts',
  '--max-restarts',
  '--monitor_interval',
  '--monitor-interval',
  '--log_dir',
  '--log-dir',
  '--redirects',
  '-r',
  '--tee',
  '-t',
  '--role',
  '--local_addr',
  '--local-addr',
  '--start_method',
  '--start-method',
  '--logs_specs',
  '--logs-specs',
  '--num_processes',
  '--num-processes',
  '--num_machines',
  '--num-machines',
  '--machine_rank',
  '--machine-rank',
  '--main_process_ip',
  '--main_process_port',
  '--mixed_precision',
  '--config_file',
  '--gpu_ids',
  '--deepspeed_config_file',
  '--num_gpus',
  '--num_nodes',
  '--hostfile',
  '--include',
  '--exclude',
  '--master_port',
  '--launcher',
  '--module',
];
const INTERPRETERS = new Set(['Rscript', 'node', 'julia', 'perl', 'ruby']);

/** The files and folders a command needs before it runs, as far as its words say. */
export function inputPaths(command: SimpleCommand): InputPath[] {
  const inputs: InputPath[] = [];
  for (const redirect of command.redirects) {
    if ((redirect.operator === '<' || /^\d+<$/.test(redirect.operator)) && redirect.target?.literal)
      inputs.push({ word: redirect.target, path: redirect.target.literal, kind: 'input file' });
  }
  const effective = effectiveCommand(command);
  if (!effective) return inputs;
  const { name, args } = effective;
  const literal = (index: number): string | undefined => args[index]?.literal;
  const push = (word: Word | undefined, kind: InputPath['kind']): void => {
    if (word?.literal !== undefined && word.literal !== '-' && word.literal !== '')
      inputs.push({ word, path: word.literal, kind });
  };
  // `./train.sh`, `tools/run`: a command named by a relative path runs that file.
  if (name.includes('/') && !name.startsWith('/') && !name.startsWith('~')) push(effective.nameWord, 'script');
  if (
    /^python(3(\.\d+)?)?$/.test(name) ||
    name === 'torchrun' ||
    name === 'deepspeed' ||
    (name === 'accelerate' && literal(0) === 'launch')
  ) {
    if (!args.some((arg) => arg.literal === '-c')) configFiles(args, inputs);
  }
  if (/^python(3(\.\d+)?)?$/.test(name)) {
    if (args.some((arg) => arg.literal === '-m' || arg.literal === '-c')) {
      // `python -m pip install -r x`; the `-c` of `python -c CODE` is code, not pip's constraints file.
      const module = args.findIndex((arg) => arg.literal === '-m');
      if (module !== -1 && args[module + 1]?.literal === 'pip') pipFiles(args.slice(module + 2), push);
      return inputs;
    }
    push(operands(args, PYTHON_OPTIONS_WITH_VALUE)[0], 'script');
  } else if (name === 'torchrun' || name === 'deepspeed' || (name === 'accelerate' && literal(0) === 'launch')) {
    const rest = name === 'accelerate' ? args.slice(1) : args;
    if (
      rest.some(
        (arg) =>
          arg.literal === '-m' ||
          arg.literal === '--module' ||
          arg.literal === '--no-python' ||
          arg.literal === '--no_python',
      )
    )
      return inputs;
    // The training script is the first .py among the operands: launchers have many options with values
    // (`--dynamo_backend no`, `--ssh_port 2222`), and one this list does not know must not pass for the script.
    push(
      operands(rest, LAUNCHER_OPTIONS_WITH_VALUE).find((word) => word.literal?.endsWith('.py')),
      'script',
    );
  } else if (INTERPRETERS.has(name)) {
    push(operands(args, ['-e', '-r', '--require'])[0], 'script');
  } else if (name === 'bash' || name === 'sh') {
    const script = shellOperand(literals(args));
    if (typeof script === 'number') push(args[script], 'script');
  } else if (name === 'source' || name === '.') {
    // bash looks a name without a slash up on PATH first: `source activate` is conda's script, not a file here.
    const file = args[0]?.literal;
    if (file !== undefined && (file.includes('/') || file.includes('.'))) push(args[0], 'sourced file');
  } else if (name === 'cd' || name === 'pushd') {
    const target = operands(args)[0];
    if (target?.literal !== undefined && target.literal !== '-' && target.literal !== '..') push(target, 'folder');
  } else if (name === 'pip' || name === 'pip3' || name === 'uv') {
    pipFiles(args, push);
  } else if (name === 'conda' || name === 'mamba' || name === 'micromamba') {
    args.forEach((arg, index) => {
      if (arg.literal === '-f' || arg.literal === '--file') push(args[index + 1], 'environment file');
    });
  }
  return inputs;
}

/**
 * Options that name a configuration file the program reads (`--config configs/base.yaml`, HF's `--deepspeed ds.json`).
 */
const CONFIG_OPTIONS = new Set([
  '--config',
  '--config_file',
  '--config-file',
  '--config_path',
  '--config-path',
  '--cfg',
  '--deepspeed_config',
  '--deepspeed',
]);
const CONFIG_FILE = /\.(ya?ml|json|toml|cfg|ini|conf)$/;

function configFiles(args: readonly Word[], inputs: InputPath[]): void {
  args.forEach((arg, index) => {
    const value = arg.literal ?? '';
    const joined = /^(--[\w-]+)=(.+)$/.exec(value);
    const [option, file, word] = joined
      ? [joined[1]!, joined[2]!, arg]
      : [value, args[index + 1]?.literal, args[index + 1]];
    if (word && file && CONFIG_OPTIONS.has(option) && CONFIG_FILE.test(file))
      inputs.push({ word, path: file, kind: 'config file' });
  });
}

function pipFiles(args: readonly Word[], push: (word: Word | undefined, kind: InputPath['kind']) => void): void {
  args.forEach((arg, index) => {
    if (
      arg.literal === '-r' ||
      arg.literal === '--requirement' ||
      arg.literal === '-c' ||
      arg.literal === '--constraint'
    )
      push(args[index + 1], 'requirements');
  });
}
