import { effectiveCommand, literals, shellRun } from './command-words.js';
import type { ScriptInput } from './script-input.js';
import type { SimpleCommand } from './shell/script-model.js';

/** The shell options that change what a failure does: `set -e` (errexit) and `set -o pipefail`. */
export interface ShellOptions {
  readonly errexit: boolean;
  readonly pipefail: boolean;
}

/**
 * dlrun runs the inline setup and run with `bash --noprofile --norc -eo pipefail` (templates/bootstrap/
 * job-wrapper.sh): both options are on from their first line. A script file run with `bash file` or by its path
 * starts with both off, unless its command line gives them (`bash -eo pipefail file`, read with shellRun; a
 * `#!/bin/bash -e` line counts when it is run by its path); a sourced file shares its caller's shell, with the options
 * as they stood where it was sourced.
 */
export function optionsAtStart(script: ScriptInput, cache = new Map<ScriptInput, Map<SimpleCommand, ShellOptions>>()) {
  const call = script.calledBy;
  if (!call) return { errexit: true, pipefail: true };
  if (call.how === 'source')
    return optionsAt(call.caller, cache).get(call.command) ?? { errexit: true, pipefail: true };
  const shebang = /^#!.*\bbash\s+(-\w+)/.exec(script.text)?.[1] ?? '';
  return call.how === 'executable'
    ? { errexit: shebang.includes('e'), pipefail: false }
    : commandLineOptions(call.command);
}

/** `bash -e train.sh`, `bash -eo pipefail train.sh`, `bash -o errexit x.sh`: the options given before the file. */
function commandLineOptions(command: SimpleCommand): ShellOptions {
  let errexit = false;
  let pipefail = false;
  const args = literals(effectiveCommand(command)?.args ?? []);
  const run = shellRun(args);
  if (run?.kind !== 'file') return { errexit, pipefail };
  for (let index = 0; index < run.index; index++) {
    const match = /^([-+])([A-Za-z]+)$/.exec(args[index] ?? '');
    if (!match) continue;
    const on = match[1] === '-';
    if (match[2]!.includes('e')) errexit = on;
    for (const letter of match[2]!) {
      if (letter !== 'o' && letter !== 'O') continue;
      index += 1;
      if (letter === 'o' && args[index] === 'pipefail') pipefail = on;
      if (letter === 'o' && args[index] === 'errexit') errexit = on;
    }
  }
  return { errexit, pipefail };
}

/** The options in force at each command of a script, as its `set` commands leave them. */
export function optionsAt(
  script: ScriptInput,
  cache = new Map<ScriptInput, Map<SimpleCommand, ShellOptions>>(),
): Map<SimpleCommand, ShellOptions> {
  const known = cache.get(script);
  if (known) return known;
  const result = new Map<SimpleCommand, ShellOptions>();
  cache.set(script, result);
  let options: ShellOptions = optionsAtStart(script, cache);
  for (const command of script.parsed.commands) {
    result.set(command, options);
    if (command.words[0]?.literal === 'set' && !command.nested) options = afterSet(options, command);
  }
  return result;
}

/** `set -e`, `set +e`, `set -euo pipefail`, `set -o errexit`, `set +o pipefail`. */
function afterSet(options: ShellOptions, command: SimpleCommand): ShellOptions {
  let { errexit, pipefail } = options;
  const words = command.words.slice(1).map((word) => word.literal ?? '');
  for (const [index, word] of words.entries()) {
    const match = /^([-+])([a-zA-Z]+)$/.exec(word);
    if (!match) continue;
    const on = match[1] === '-';
    if (match[2]!.includes('e')) errexit = on;
    if (match[2]!.includes('o')) {
      // `-o NAME` (in a group of flags, the name is the next word).
      const name = words[index + 1];
      if (name === 'pipefail') pipefail = on;
      if (name === 'errexit') errexit = on;
    }
  }
  return { errexit, pipefail };
}
