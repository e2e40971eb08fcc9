import path from 'node:path';
import type { Finding } from '../base/finding.js';
import type { JobSpec } from '../spec/job-spec.js';
import { shellOperand } from './command-words.js';
import { blockPlacer, identityPlacer, inlinePlacer, type ScriptCall, type ScriptInput } from './script-input.js';
import { parseScript } from './shell/parser.js';
import { normalise, type WorkdirView } from './workdir-view.js';

/** More script files than a job runs; past this, the rest are not followed (and a finding says so). */
const MAX_SCRIPT_FILES = 50;
/**
 * A script file bigger than this is not a script a human wrote (also the most any file the validator reads may hold).
 */
export const MAX_SCRIPT_BYTES = 2 * 1024 * 1024;
const SHELLS = new Set(['bash', 'sh', 'source', '.']);

/**
 * The job's scripts: the inline `setup` and `run`, and every script file they run (`bash scripts/train.sh`,
 * `./train.sh`, `source env.sh`), followed in turn, each parsed once. A script that runs itself is followed once.
 */
export function collectScripts(
  job: JobSpec,
  workdir: WorkdirView,
): { scripts: ScriptInput[]; calls: ScriptCall[]; findings: Finding[] } {
  const scripts: ScriptInput[] = [];
  const calls: ScriptCall[] = [];
  const findings: Finding[] = [];
  for (const origin of ['setup', 'run'] as const) {
    const text = job[origin];
    const source = job.source.scripts[origin];
    if (text === undefined || !source) continue;
    const place = source.exact
      ? blockPlacer(source.line, source.column, true)
      : text.includes('\n')
        ? blockPlacer(source.line, source.column, false)
        : inlinePlacer(source.line, source.column);
    scripts.push({ file: job.source.file, origin, text, parsed: parseScript(text), directory: '', place });
  }
  const seen = new Set<string>();
  for (let index = 0; index < scripts.length; index++) {
    const caller = scripts[index]!;
    for (const call of scriptCalls(caller, workdir)) {
      calls.push(call);
      if (seen.has(call.path) || workdir.state(call.path) !== 'shipped') continue;
      seen.add(call.path);
      if (seen.size > MAX_SCRIPT_FILES) {
        findings.push(
          skipped(call, `the job runs more than ${MAX_SCRIPT_FILES} script files; the rest were not checked`, job),
        );
        return { scripts, calls, findings };
      }
      const loaded = loadScriptFile(call, workdir, job);
      if ('finding' in loaded) findings.push(loaded.finding);
      else if ('script' in loaded) scripts.push(loaded.script);
    }
  }
  return { scripts, calls, findings };
}

/** The script files a script runs, with the folder each command runs in (a `cd` to a literal folder is followed). */
function scriptCalls(script: ScriptInput, workdir: WorkdirView): ScriptCall[] {
  const calls: ScriptCall[] = [];
  let directory = script.directory;
  for (const command of script.parsed.commands) {
    const words = command.words.map((word) => word.literal);
    const [name, first] = words;
    if (
      name === 'cd' &&
      !command.nested &&
      first !== undefined &&
      !first.startsWith('/') &&
      !first.startsWith('$') &&
      !first.startsWith('~')
    ) {
      directory = normalise(path.posix.join(directory, first)) ?? directory;
      continue;
    }
    if (name === undefined) continue;
    const target = scriptArgument(name, words.slice(1));
    if (target && !target.path.startsWith('/')) {
      const relative = normalise(path.posix.join(directory, target.path));
      if (relative !== undefined)
        calls.push({ path: relative, caller: { ...script, directory }, command, how: target.how });
    } else if (
      name.includes('/') &&
      !name.startsWith('/') &&
      (name.endsWith('.sh') || isShellScript(workdir, normalise(path.posix.join(directory, name))))
    ) {
      const relative = normalise(path.posix.join(directory, name));
      if (relative !== undefined)
        calls.push({ path: relative, caller: { ...script, directory }, command, how: 'executable' });
    }
  }
  return calls;
}

function scriptArgument(
  name: string,
  args: readonly (string | undefined)[],
): { path: string; how: ScriptCall['how'] } | undefined {
  if (!SHELLS.has(name)) return undefined;
  if (name === 'source' || name === '.') {
    const file = args[0];
    return file === undefined || file.startsWith('-') ? undefined : { path: file, how: 'source' };
  }
  // bash -e script.sh, bash -eo pipefail ./run.sh: skip options; `bash -c '...'` (and `-lc`, `-ec`) runs a string.
  const index = shellOperand(args);
  const file = typeof index === 'number' ? args[index] : undefined;
  return file === undefined ? undefined : { path: file, how: 'shell' };
}

function isShellScript(workdir: WorkdirView, relative: string | undefined): boolean {
  if (relative === undefined || workdir.state(relative) !== 'shipped') return false;
  const head = workdir.read(relative, { maxBytes: 64, prefix: true });
  return head.ok && /^#!.*\b(ba)?sh\b/.test(head.bytes.toString('utf8'));
}

/**
 * A script file the job runs, read (bounded); nothing when it is not a regular file (the validator notes those once).
 */
function loadScriptFile(
  call: ScriptCall,
  workdir: WorkdirView,
  job: JobSpec,
): { script: ScriptInput } | { finding: Finding } | { skipped: true } {
  const absolute = workdir.absolute(call.path)!;
  const file = path.relative(job.source.dir, absolute);
  const read = workdir.read(call.path, { maxBytes: MAX_SCRIPT_BYTES });
  if (!read.ok) {
    if (read.reason === 'too-large')
      return {
        finding: skipped(
          call,
          `${call.path} is over ${MAX_SCRIPT_BYTES / 1024 / 1024} MB, too large to be a script; it was not checked`,
          job,
        ),
      };
    if (read.reason === 'not-regular') return { skipped: true };
    return { finding: skipped(call, `${call.path} could not be read: ${read.detail}`, job) };
  }
  try {
    const bytes = read.bytes;
    if (bytes.includes(0))
      return {
        finding: {
          rule: 'not-a-script',
          severity: 'error',
          file,
          line: 1,
          column: null,
          message: `${call.path} is a binary file, not a shell script`,
          hint: 'check the path the job runs',
        },
      };
    // The byte-order mark stays: bash reads it as part of the first command, which the line-endings rule reports
    // (the parser reads past it, so that the rest of the script is still checked).
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return {
      script: {
        file,
        origin: 'file',
        text,
        parsed: parseScript(text.replace(/^\uFEFF/, '')),
        directory: call.caller.directory,
        place: identityPlacer,
        calledBy: call,
      },
    };
  } catch (error) {
    if (error instanceof TypeError)
      return {
        finding: {
          rule: 'encoding',
          severity: 'error',
          file,
          line: 1,
          column: null,
          message: `${call.path} is not valid UTF-8`,
          hint: 'save it as UTF-8',
        },
      };
    return { finding: skipped(call, `${call.path} could not be read: ${(error as Error).message}`, job) };
  }
}

/**
 * Which of the job's shells a script runs in: setup and run are two separate bash processes (what one sets, the other
 * never sees); a script file belongs to the shells of the scripts that run it (setup and run may both source it).
 */
export function shellsOf(
  script: ScriptInput,
  calls: readonly ScriptCall[],
  seen = new Set<string>(),
): Set<'setup' | 'run'> {
  if (script.origin !== 'file') return new Set([script.origin]);
  const shells = new Set<'setup' | 'run'>();
  const file = script.calledBy?.path;
  if (file === undefined || seen.has(file)) return shells;
  seen.add(file);
  for (const call of calls)
    if (call.path === file) for (const shell of shellsOf(call.caller, calls, seen)) shells.add(shell);
  return shells;
}

function skipped(call: ScriptCall, message: string, job: JobSpec): Finding {
  const place = call.caller.place(call.command.position);
  return {
    rule: 'script-not-checked',
    severity: 'info',
    file: call.caller.file || job.source.file,
    line: place.line,
    column: place.column,
    message,
  };
}
