import { effectiveCommand, operands } from './command-words.js';
import type { SimpleCommand } from './shell/script-model.js';

/** Python modules run with `-m` that are tools, not the job's own work (their output is read by what follows). */
const TOOL_MODULES = new Set(['pip', 'json.tool', 'site', 'sysconfig', 'platform', 'torch.utils.collect_env', 'venv']);

/**
 * Whether a command is the job's real work: a training or evaluation program (a Python script or module, a launcher,
 * a shell script file), whose failure must fail the job; not `python -c`, `python --version` or a tool module.
 */
export function isWorkCommand(command: SimpleCommand): boolean {
  const effective = effectiveCommand(command);
  if (!effective) return false;
  const name = effective.name.replace(/^.*\//, '');
  if (['torchrun', 'deepspeed'].includes(name)) return true;
  if (name === 'accelerate') return effective.args[0]?.literal === 'launch';
  if (/^python(3(\.\d+)?)?$/.test(name)) {
    const values = effective.args.map((arg) => arg.literal ?? '');
    const module = values.indexOf('-m');
    if (module >= 0) return !TOOL_MODULES.has(values[module + 1] ?? '');
    return operands(effective.args).some((arg) => /\.py$/.test(arg.literal ?? ''));
  }
  if (name === 'bash' || name === 'sh') return operands(effective.args).some((arg) => /\.sh$/.test(arg.literal ?? ''));
  return /^\.{0,2}\/.*\.sh$/.test(effective.name);
}

/** `command -v X`, `command -V X`: a look-up of X that runs nothing (the wrapper reading of `command` would). */
export function isLookup(command: SimpleCommand): boolean {
  const [first, second] = command.words.map((word) => word.literal);
  return first === 'command' && (second === '-v' || second === '-V');
}
