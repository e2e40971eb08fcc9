import type { Finding } from '../../base/finding.js';
import type { ScriptSource } from '../../spec/job-spec.js';
import type { Rule } from '../rule.js';

/**
 * Words that start a command and are almost never an argument written on a line of its own: when YAML joins such a
 * line onto the one above, the two commands became one (`pip install -r requirements.txt python train.py`).
 */
const COMMAND_STARTS = new Set([
  'python',
  'python3',
  'pip',
  'pip3',
  'torchrun',
  'accelerate',
  'deepspeed',
  'cd',
  'echo',
  'export',
  'source',
  'mkdir',
  'bash',
  'wget',
  'curl',
  'git',
  'conda',
  'mamba',
  'apt-get',
  'nvidia-smi',
  'huggingface-cli',
  'wandb',
  'cp',
  'mv',
  'rm',
  'tar',
  'unzip',
  'uv',
  'chmod',
  'set',
]);

/** A line that ends this way continues on the next one in bash as well: joining them changes nothing. */
const CONTINUES = /(&&|\|\||\||;|&|\\|\(|\{|\bthen|\bdo|\belse|\bsudo|\bnohup|\btime|\bexec|\benv)\s*$/;

/**
 * A script YAML folds: a `>` block, or a plain or quoted value over several lines. YAML joins its lines with
 * spaces before bash sees them, so commands written one a line run as one command with the next ones as its
 * arguments (`>` keeps line breaks only around blank or more-indented lines). A folded long command whose next
 * lines are its options is what `>` is for, and is left alone.
 */
export const foldedScript: Rule = {
  id: 'folded-script',
  summary: "a '>' or plain multi-line script whose lines YAML joins into one command",
  check({ job }) {
    const findings: Finding[] = [];
    for (const origin of ['setup', 'run'] as const) {
      const source = job.source.scripts[origin];
      if (!source?.written) continue;
      // The first line joined onto a command is reported: the lines after it follow from the same mistake.
      for (const joined of joinedLines(source)) {
        // A quoted value's closing quote is YAML's, not the script's.
        const next = joined.text.trim().replace(source.written.style === 'quoted' ? /["']$/ : /$^/, '');
        const word = /^[^\s;&|]+/.exec(next)?.[0] ?? '';
        if (!COMMAND_STARTS.has(word) || CONTINUES.test(joined.previous)) continue;
        // `apt-get install -y\n  git\n  python3`, `pip install --upgrade\n  pip`: package names, one a line.
        if (INSTALLING.test(joined.logical) && !looksLikeCommand(next)) continue;
        // `CUDA_VISIBLE_DEVICES=0,1\n  python ...`, `mpirun -np 4\n  python ...`: the line runs the next one.
        if (runsNextLine(joined.logical)) continue;
        const style = source.written.style === 'folded' ? "'>'" : 'a multi-line value without |';
        findings.push({
          rule: 'folded-script',
          severity: 'error',
          file: job.source.file,
          line: joined.line,
          column: null,
          message:
            `${origin} is written with ${style}, so YAML joins this line onto the one above: bash runs ` +
            `'${shorten(joined.previous.trim())} ${shorten(next)}' as one command`,
          hint: `write '${origin}: |' to keep one command a line`,
        });
        break;
      }
    }
    return findings;
  },
};

/** Lines YAML joins onto the line before, with that line's text. */
function joinedLines(source: ScriptSource): { line: number; text: string; previous: string; logical: string }[] {
  const written = source.written!;
  const lines = written.lines;
  const result: { line: number; text: string; previous: string; logical: string }[] = [];
  // The command line YAML has built so far, from the last kept line break.
  let logical = '';
  // A `>` block: lines at the block's own indentation; deeper ones and blank lines keep their line breaks.
  const indent = source.column - 1;
  let previous: string | undefined;
  for (const [index, text] of lines.entries()) {
    const line = source.line + index;
    const depth = text.length - text.trimStart().length;
    if (text.trim() === '') {
      previous = undefined;
      logical = '';
      continue;
    }
    if (written.style === 'folded' && depth < indent) break;
    if (text.trim().startsWith('#') && written.style === 'plain') {
      // In a plain value a `#` line is a YAML comment; in a block it is text, joined like any other line.
      previous = undefined;
      logical = '';
      continue;
    }
    const keepsBreak = written.style === 'folded' && depth > indent;
    if (previous !== undefined && !keepsBreak) result.push({ line, text, previous, logical });
    previous = keepsBreak ? undefined : index === 0 && written.style !== 'folded' ? afterKey(text) : text;
    logical = keepsBreak ? '' : `${logical} ${previous}`;
  }
  return result;
}

/** A package manager's install or removal: the words after it are package names, some named like commands. */
const INSTALLING = /\b(install|uninstall|remove|purge|add)\b/;

/** Commands that are no package's name. */
const NEVER_PACKAGES = new Set([
  'cd',
  'echo',
  'export',
  'source',
  'mkdir',
  'cp',
  'mv',
  'rm',
  'chmod',
  'set',
  'torchrun',
]);

/** A line that reads as a command of its own: a command no package is named after, or one with options or files. */
function looksLikeCommand(line: string): boolean {
  const [first, ...rest] = line.split(/\s+/);
  return NEVER_PACKAGES.has(first ?? '') || rest.some((word) => /^-|\.(py|sh)$|\//.test(word));
}

/** Commands that run the command given after their options: folded onto them, the next line is that command. */
const LAUNCHERS = new Set([
  'mpirun',
  'mpiexec',
  'horovodrun',
  'srun',
  'sudo',
  'nohup',
  'time',
  'env',
  'timeout',
  'xargs',
  'nice',
  'stdbuf',
  'taskset',
  'numactl',
  'exec',
  'watch',
]);

/** Tools that launch a command with one of their subcommands (`uv run`, `conda run -n env`, `docker exec`). */
const LAUNCHING_SUBCOMMANDS = /^(uv|poetry|pipenv|conda|mamba|micromamba|pixi|hatch|pdm|docker|singularity|apptainer)$/;

/** A logical line of assignments alone, or one that starts with a launcher, takes the next line as its command. */
function runsNextLine(logical: string): boolean {
  const words = logical.trim().split(/\s+/);
  const first = words.findIndex((word) => !/^[A-Za-z_]\w*=/.test(word));
  if (first < 0 || LAUNCHERS.has(words[first] ?? '')) return true;
  return LAUNCHING_SUBCOMMANDS.test(words[first] ?? '') && ['run', 'exec'].includes(words[first + 1] ?? '');
}

/** The first line of a plain or quoted value holds its key (`run: pip install x`): the value is what follows. */
function afterKey(text: string): string {
  return text.replace(/^\s*[\w-]+:\s*["']?/, '');
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
