import path from 'node:path';
import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { inputPaths } from '../input-paths.js';
import { scriptFinding } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import { MAX_SCRIPT_BYTES } from '../collect-scripts.js';
import { normalise, type WorkdirView } from '../workdir-view.js';
import type { Word } from '../shell/script-model.js';
import { PYTHON_ANALYSER, type PythonFacts, type PythonProgram } from './python-analyser.js';
import type { ToolCache } from './tool-cache.js';

interface Entry {
  readonly id: number;
  /** The script, relative to the workdir, when it is a file. */
  readonly path: string | null;
  readonly text: string | null;
  readonly name: string;
  /** Read for the rules about Python code too (entry script files; not heredocs). */
  readonly analyse: boolean;
  readonly report: (line: number, column: number | null, message: string) => Finding;
}

/** What python3 made of the job's Python: syntax errors, and the programs the rules about Python code read. */
export interface PythonCheck {
  readonly findings: Finding[];
  readonly programs: PythonProgram[];
}

/**
 * The job's Python entry scripts (`python train.py`, `torchrun train.py`, `python - <<EOF` heredocs), compiled by
 * this machine's python3, so a syntax error is found before the machine starts, and read (files only) for what
 * they ask of the job, in the same process. Says so when python3 is missing.
 */
export async function pythonSyntax(
  scripts: readonly ScriptInput[],
  workdir: WorkdirView,
  jobDir: string,
  tools: ToolCache,
): Promise<PythonCheck> {
  const entries: Entry[] = [];
  const ids = new Map<string, number>();
  const runs: { program: Omit<PythonProgram, 'facts'>; id: number }[] = [];
  for (const script of scripts) {
    // The folder the script is in: a literal `cd` outside conditions moves it; after any other cd it is unknown.
    let directory: string | undefined = script.directory;
    for (const command of script.parsed.commands) {
      const effective = effectiveCommand(command);
      if (effective?.name === 'cd' && !command.nested) {
        const target = effective.args[0]?.literal;
        directory =
          directory === undefined || target === undefined || /^[/~$-]/.test(target)
            ? undefined
            : normalise(path.posix.join(directory, target));
      }
      const files = inputPaths(command)
        .filter((input) => input.kind === 'script' && input.path.endsWith('.py'))
        .map((input) => input.path);
      // `python -m trainer.task` runs trainer/task.py (or trainer/task/__main__.py) from the folder it is in.
      const moduleIndex =
        effective && /^python(3(\.\d+)?)?$/.test(effective.name)
          ? effective.args.findIndex((arg) => arg.literal === '-m')
          : -1;
      const module = moduleIndex === -1 ? undefined : effective!.args[moduleIndex + 1]?.literal;
      if (module) files.push(`${module.replace(/\./g, '/')}.py`, `${module.replace(/\./g, '/')}/__main__.py`);
      const started = effective ? startedScript(effective.name, effective.args) : undefined;
      // `python -m torch.distributed.run train.py` runs train.py under torchrun.
      if (started?.viaModule) files.push(started.path);
      for (const input of files) {
        const relative = directory === undefined ? undefined : normalise(path.posix.join(directory, input));
        if (relative === undefined || workdir.state(relative) !== 'shipped' || workdir.isFolder(relative)) continue;
        const known = ids.get(relative);
        if (started && (started.path === input || module !== undefined))
          runs.push({
            id: known ?? entries.length,
            program: {
              script,
              command,
              launcher: started.launcher,
              path: relative,
              file: path.relative(jobDir, workdir.absolute(relative)!),
              directory: directory!,
              args: started.args,
            },
          });
        if (known !== undefined) continue;
        ids.set(relative, entries.length);
        const absolute = workdir.absolute(relative)!;
        const file = path.relative(jobDir, absolute);
        entries.push({
          id: entries.length,
          path: relative,
          text: null,
          name: file,
          analyse: true,
          report: (line, column, message) => ({
            rule: 'python-syntax',
            severity: 'error',
            file,
            line,
            column,
            message: `Python: ${message}`,
          }),
        });
      }
      const heredoc = command.redirects.find((redirect) => redirect.heredoc)?.heredoc;
      if (heredoc && effective && /^python(3(\.\d+)?)?$/.test(effective.name) && heredoc.quoted) {
        entries.push({
          id: entries.length,
          path: null,
          text: heredoc.body,
          name: `${script.file} (heredoc)`,
          analyse: false,
          report: (line, column, message) =>
            scriptFinding(
              script,
              { line: heredoc.bodyStart.line + line - 1, column: column ?? 1 },
              { rule: 'python-syntax', severity: 'error', message: `Python: ${message}` },
            ),
        });
      }
    }
  }
  if (entries.length === 0) return { findings: [], programs: [] };
  // The texts themselves go to python3, so that a cached result is only reused for the very same code.
  // A file that is too large or not a regular file is not compiled (the validator notes the second kind).
  const payload = entries.flatMap(({ id, path: file, text, name, analyse }) => {
    if (text !== null) return [{ id, text, name, analyse }];
    const read = workdir.read(file!, { maxBytes: MAX_SCRIPT_BYTES });
    return read.ok ? [{ id, text: read.bytes.toString('utf8'), name, analyse }] : [];
  });
  const unread = runs.map(({ program }) => ({ ...program, facts: undefined }));
  if (payload.length === 0) return { findings: [], programs: unread };
  const result = await tools.run('python3', ['-c', PYTHON_ANALYSER], JSON.stringify(payload));
  if (result.missing) {
    const findings: Finding[] = [
      {
        rule: 'python-syntax',
        severity: 'info',
        file: entries[0]!.name,
        line: 1,
        column: null,
        message: "python3 is not on this machine's PATH, so the job's Python scripts were not compiled nor read",
      },
    ];
    return { findings, programs: unread };
  }
  const findings: Finding[] = [];
  const facts = new Map<number, PythonFacts>();
  for (const line of result.stdout.split('\n').filter(Boolean)) {
    const reported = JSON.parse(line) as {
      id: number;
      line: number | null;
      column: number | null;
      message: string;
      facts?: PythonFacts;
    };
    if (reported.facts) facts.set(reported.id, reported.facts);
    else findings.push(entries[reported.id]!.report(reported.line ?? 1, reported.column, reported.message));
  }
  return { findings, programs: runs.map(({ program, id }) => ({ ...program, facts: facts.get(id) })) };
}

const PYTHON = /^python(3(\.\d+)?)?$/;
const DISTRIBUTED_MODULES = new Set(['torch.distributed.run', 'torch.distributed.launch']);

/**
 * The script a command starts, how, and the words after it (its own arguments): `python [options] train.py ...`,
 * `python -m pkg.mod ...`, and the launchers' first `.py` operand (as missing-input finds it).
 */
export function startedScript(
  name: string,
  args: readonly Word[],
): { path: string; launcher: PythonProgram['launcher']; args: Word[]; viaModule: boolean } | undefined {
  const launcher = PYTHON.test(name)
    ? 'python'
    : name === 'torchrun' || name === 'deepspeed'
      ? name
      : name === 'accelerate' && args[0]?.literal === 'launch'
        ? 'accelerate'
        : undefined;
  if (!launcher) return undefined;
  if (launcher === 'python') {
    const module = args.findIndex((arg) => arg.literal === '-m');
    if (args.some((arg, index) => arg.literal === '-c' && (module === -1 || index < module))) return undefined;
    if (module !== -1) {
      const name = args[module + 1]?.literal;
      if (name === undefined) return undefined;
      if (DISTRIBUTED_MODULES.has(name)) {
        const rest = args.slice(module + 2);
        const script = rest.findIndex((arg) => arg.literal?.endsWith('.py'));
        if (script === -1) return undefined;
        return { path: rest[script]!.literal!, launcher: 'torchrun', args: rest.slice(script + 1), viaModule: true };
      }
      return { path: `${name.replace(/\./g, '/')}.py`, launcher, args: args.slice(module + 2), viaModule: false };
    }
    // python's own options before the script: those taking a value are -W, -X, -Q.
    for (let index = 0; index < args.length; index++) {
      const value = args[index]!.literal;
      if (value === undefined) return undefined;
      if (['-W', '-X', '-Q'].includes(value)) index += 1;
      else if (!value.startsWith('-')) return { path: value, launcher, args: args.slice(index + 1), viaModule: false };
    }
    return undefined;
  }
  if (args.some((arg) => ['-m', '--module', '--no-python', '--no_python'].includes(arg.literal ?? '')))
    return undefined;
  const script = args.findIndex((arg) => arg.literal?.endsWith('.py'));
  if (script === -1) return undefined;
  return { path: args[script]!.literal!, launcher, args: args.slice(script + 1), viaModule: false };
}
