import path from 'node:path';
import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { pathEffects } from '../path-effects.js';
import type { Rule, ValidationContext } from '../rule.js';
import { normalise } from '../workdir-view.js';

const PYTHON = /^python(3(\.\d+)?)?$/;
const LFS_POINTER = 'version https://git-lfs.github.com/spec/v1';

/**
 * A file the entry script opens by a literal relative path (`open("data/train.csv")`, `pd.read_csv`, `np.load`,
 * `torch.load`, `Path(...).read_text()`) in code that runs on every start, which the machine will not have as data:
 * this laptop has it but .dlrunignore/.gitignore leaves it home, or it is a Git LFS pointer (the repository was
 * cloned without `git lfs pull`). Not judged when the job may make the file first: a command that creates it or
 * unpacks files of unknown names, another Python program of the job, or a `git lfs pull`.
 */
export const pythonInputFile: Rule = {
  id: 'python-input-file',
  summary: 'a data file the Python script opens that the machine will not have (left home, or a Git LFS pointer)',
  check(context) {
    if (!context.python.some((program) => program.facts?.reads.length)) return [];
    const made = madeByJob(context);
    const findings: Finding[] = [];
    const outputs = normalise(context.job.outputs) ?? 'outputs';
    for (const program of context.python) {
      // Another Python program of the job may write what this one reads (scripts run one another in any order).
      if (context.python.some((other) => other.path !== program.path)) continue;
      for (const read of program.facts?.reads ?? []) {
        const relative = normalise(path.posix.join(program.directory, read.path));
        if (relative === undefined || relative === outputs || relative.startsWith(`${outputs}/`)) continue;
        if (made.unknown || [...made.paths].some((each) => relative === each || relative.startsWith(`${each}/`)))
          continue;
        const state = context.workdir.state(relative);
        const at = { rule: 'python-input-file', severity: 'error' as const, file: program.file, line: read.line };
        if (state === 'left-home' && context.workdir.whyLeftHome(relative).kind === 'ignore-file') {
          const ignoreFile = context.workdir.manifest.ignoreFile ?? 'the ignore rules';
          findings.push({
            ...at,
            column: read.column,
            message:
              `${program.path} opens ${read.path}, which ${ignoreFile} leaves home: ` +
              'the machine will not have it, and the script stops with FileNotFoundError',
            hint: `remove the line that matches it from ${ignoreFile}, or have the job download it before this runs`,
          });
        } else if (state === 'shipped' && !made.lfsPulled && !context.workdir.isFolder(relative)) {
          const head = context.workdir.read(relative, { maxBytes: LFS_POINTER.length, prefix: true });
          if (head.ok && head.bytes.toString('utf8') === LFS_POINTER)
            findings.push({
              ...at,
              column: read.column,
              message:
                `${program.path} opens ${read.path}, which is a Git LFS pointer (a few lines of text), ` +
                'not the data: the script fails to read it',
              hint: 'run git lfs pull before submitting, or fetch the data in setup',
            });
        }
      }
    }
    return findings;
  },
};

/** What the job's commands make, as paths relative to the workdir, and whether one makes files it does not name. */
function madeByJob(context: ValidationContext): { paths: Set<string>; unknown: boolean; lfsPulled: boolean } {
  const paths = new Set<string>();
  let unknown = false;
  let lfsPulled = false;
  const programs = new Set(context.python.map((program) => program.command));
  for (const script of context.scripts) {
    let directory: string | undefined = script.directory;
    for (const command of script.parsed.commands) {
      const effective = effectiveCommand(command);
      if (effective?.name === 'cd') directory = undefined;
      if (effective?.name === 'git' && effective.args[0]?.literal === 'lfs') lfsPulled = true;
      // Python code the rule cannot see (`python -c`, a heredoc, an installed module's CLI) may write any file.
      if (effective && PYTHON.test(effective.name) && !programs.has(command) && !harmless(effective.args))
        unknown = true;
      const effects = pathEffects(command);
      if (effects.createsUnknown) unknown = true;
      for (const created of effects.creates) {
        if (directory === undefined || created.startsWith('/') || created.startsWith('$')) {
          unknown ||= !created.startsWith('/');
          continue;
        }
        const relative = normalise(path.posix.join(directory, created));
        if (relative !== undefined) paths.add(relative.replace(/\/$/, ''));
      }
    }
  }
  return { paths, unknown, lfsPulled };
}

/** `python -m pip ...`, `python -m venv`, `python --version`: Python that writes no data file. */
function harmless(args: readonly { readonly literal: string | undefined }[]): boolean {
  const [first, second] = args.map((arg) => arg.literal);
  return (
    first === '--version' || first === '-V' || (first === '-m' && ['pip', 'venv', 'ensurepip'].includes(second ?? ''))
  );
}
