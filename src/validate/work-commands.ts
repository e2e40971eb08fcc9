import { effectiveCommand, literals, operands, shellRun } from './command-words.js';
import { parseScript } from './shell/parser.js';
import type { SimpleCommand } from './shell/script-model.js';

/** Whether a `bash -c` string runs the job's work, by its text (the rules ask about the same command in turn). */
const stringsRunningWork = new Map<string, boolean>();

/** Python modules run with `-m` that are tools, not the job's own work (their output is read by what follows). */
const TOOL_MODULES = new Set(['pip', 'json.tool', 'site', 'sysconfig', 'platform', 'torch.utils.collect_env', 'venv']);

/**
 * Whether a command is the job's real work: a training or evaluation program (a Python script or module, a launcher,
 * a shell script file, a `bash -c` string that runs one), whose failure must fail the job; not `python -c`,
 * `python --version` or a tool module.
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
  if (name === 'bash' || name === 'sh') {
    // bash's options read as bash reads them (shellRun, shared with the script-following code): `bash -eo pipefail
    // train.sh`, and `bash -lc "python train.py"`, whose string is the work when it runs some.
    const values = literals(effective.args);
    const run = shellRun(values);
    if (run?.kind === 'file') return /\.sh$/.test(values[run.index]!);
    const text = run?.index === undefined ? undefined : values[run.index];
    if (text === undefined) return false;
    let work = stringsRunningWork.get(text);
    if (work === undefined) {
      work = parseScript(text).commands.some((inner) => isWorkCommand(inner));
      if (stringsRunningWork.size < 1000) stringsRunningWork.set(text, work);
    }
    return work;
  }
  return /^\.{0,2}\/.*\.sh$/.test(effective.name);
}

/** `command -v X`, `command -V X`: a look-up of X that runs nothing (the wrapper reading of `command` would). */
export function isLookup(command: SimpleCommand): boolean {
  const [first, second] = command.words.map((word) => word.literal);
  return first === 'command' && (second === '-v' || second === '-V');
}
