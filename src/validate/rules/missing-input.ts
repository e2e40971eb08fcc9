import path from 'node:path';
import type { Finding } from '../../base/finding.js';
import { inputPaths } from '../input-paths.js';
import { pathEffects } from '../path-effects.js';
import { scriptFinding, type Rule, type ValidationContext } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import { effectiveCommand, operands } from '../command-words.js';
import { normalise } from '../workdir-view.js';

/**
 * Files and folders the job reads that will not be on the machine: the script given to python/torchrun/bash, a
 * `-r requirements` file, a `source`d file, a `cd` target, a `<` input. A file this laptop has but that
 * .dlrunignore (or .gitignore) leaves home is missing there too. Paths the job creates first (outputs, `mkdir -p`,
 * `python -m venv`, downloads, `git clone`) are not inputs, nor are paths an earlier command was given as arguments
 * (most likely outputs of a command the validator does not know); after a command that unpacks unknown files, a
 * missing path is only a warning.
 */
export const missingInput: Rule = {
  id: 'missing-input',
  summary: 'an input file or folder the job reads that is not in the shipped workdir and that the job does not create',
  check(context) {
    const findings: Finding[] = [];
    const created = new Set<string>([normalise(context.job.outputs) ?? context.job.outputs]);
    let unknownSince: { script: ScriptInput; line: number } | undefined;
    // setup runs before run, both from the workdir; files the job runs are followed in the order they were found.
    for (const script of context.scripts) {
      // Where the script may be: a cd inside a subshell, a condition or a loop may or may not be in force later,
      // so an input is missing only when it is in none of the folders the script may be in.
      let directories = [script.directory];
      const visited = new Set<string>(directories);
      let directoryKnown = true;
      for (const command of script.parsed.commands) {
        for (const input of inputPaths(command)) {
          if (!directoryKnown || !isCheckable(input.path)) continue;
          const candidates = directories.map((directory) => normalise(path.posix.join(directory, input.path)));
          if (candidates.some((relative) => relative === undefined || isCreated(relative, created))) continue;
          const states = candidates.map((relative) => context.workdir.state(relative!));
          if (states.includes('shipped')) continue;
          const leftHome = candidates[states.indexOf('left-home')];
          findings.push(report(context, script, input.word.position, input.path, input.kind, leftHome, unknownSince));
        }
        const effects = pathEffects(command);
        // A path an earlier command was given (`--local-dir models/base`, `--output_dir data`, as an argument of a
        // wrapper such as `retry 3 cmd ...`) is most likely one it writes: an input only when nothing mentioned it.
        const mentioned =
          effectiveCommand(command)
            ?.args.map((arg) => arg.literal?.replace(/^--?[\w-]+=/, ''))
            .filter((value): value is string => value !== undefined && !value.startsWith('-')) ?? [];
        for (const made of [...effects.creates, ...mentioned]) {
          for (const directory of directories) {
            const relative = isCheckable(made) ? normalise(path.posix.join(directory, made)) : undefined;
            if (relative !== undefined) created.add(relative);
          }
        }
        if (effects.createsUnknown && !unknownSince)
          unknownSince = { script, line: script.place(command.position).line };
        const effective = effectiveCommand(command);
        if (effective && (effective.name === 'cd' || effective.name === 'pushd' || effective.name === 'popd')) {
          const word = effective.name === 'popd' ? undefined : operands(effective.args)[0];
          const target = effective.name === 'popd' ? '-' : word?.literal;
          if (
            word?.parts.length === 1 &&
            word.parts[0]!.kind === 'variable' &&
            word.parts[0]!.use.name === 'DLRUN_WORKDIR' &&
            word.parts[0]!.use.operator === undefined
          ) {
            directories = [''];
            directoryKnown = true;
            continue;
          }
          // `cd -` and `popd` go back to a folder the script was in before.
          const next =
            target === '-'
              ? [...visited]
              : target === undefined || !isCheckable(target)
                ? undefined
                : directories.map((directory) => normalise(path.posix.join(directory, target)));
          // Inside a folder the job made or fetched (or one that cannot be told), what exists is unknown.
          if (
            next === undefined ||
            next.some(
              (folder) =>
                folder === undefined || isCreated(folder, created) || context.workdir.state(folder) !== 'shipped',
            )
          ) {
            directoryKnown = false;
            continue;
          }
          directories = command.nested ? [...new Set([...directories, ...(next as string[])])] : (next as string[]);
          for (const folder of next as string[]) visited.add(folder);
        }
      }
    }
    return findings;
  },
};

/** Literal, relative paths without globs; absolute and home paths are for other rules. */
function isCheckable(value: string): boolean {
  return value !== '' && !value.startsWith('/') && !value.startsWith('~') && !/[*?[\]{}$`]/.test(value);
}

function isCreated(relative: string, created: ReadonlySet<string>): boolean {
  for (let candidate = relative; ; candidate = path.posix.dirname(candidate)) {
    if (created.has(candidate)) return true;
    if (candidate === '.' || candidate === '' || !candidate.includes('/')) return created.has(candidate);
  }
}

function report(
  context: ValidationContext,
  script: ScriptInput,
  position: { line: number; column: number },
  written: string,
  kind: string,
  leftHome: string | undefined,
  unknownSince: { script: ScriptInput; line: number } | undefined,
): Finding {
  const ignoreFile = context.workdir.manifest.ignoreFile;
  const why = leftHome === undefined ? undefined : context.workdir.whyLeftHome(leftHome);
  if (why?.kind === 'sensitive') {
    return scriptFinding(script, position, {
      rule: 'missing-input',
      severity: 'error',
      message:
        `${kind} '${written}' stays home: it holds ${why.why}, ` +
        'and dlrun never ships those unless .dlrunignore says so, so the machine will not have it',
      hint:
        'list the variables it sets under secrets: (read from your shell at submit), ' +
        `or, to ship it anyway, add the line ${why.reinclude} to .dlrunignore`,
    });
  }
  if (why?.kind === 'special') {
    return scriptFinding(script, position, {
      rule: 'missing-input',
      severity: 'error',
      message:
        `${kind} '${written}' is ${why.what}, not a regular file: ` +
        'it is not shipped, so the machine will not have it',
      hint: 'replace it with a regular file, or have the job make it',
    });
  }
  if (why) {
    return scriptFinding(script, position, {
      rule: 'missing-input',
      severity: 'error',
      message:
        `${kind} '${written}' stays home: ${ignoreFile ?? 'the ignore rules'} leaves it out of the shipped workdir, ` +
        'so the machine will not have it',
      hint: `remove the line that matches it from ${ignoreFile ?? '.dlrunignore'}, or have the job fetch it`,
    });
  }
  return scriptFinding(script, position, {
    rule: 'missing-input',
    severity: unknownSince ? 'warning' : 'error',
    message:
      `${kind} '${written}' is not in the workdir` +
      (unknownSince
        ? `, unless the command at ${unknownSince.script.file}:${unknownSince.line} unpacks it`
        : ', and the job does not create it'),
    hint:
      `the workdir shipped is ${path.relative(context.job.source.dir, context.workdir.root) || '.'}; ` +
      'check the path and where the job is (a cd changes it)',
  });
}
