import type { Finding } from '../../base/finding.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import { optionsAt, type ShellOptions } from '../shell-options.js';
import type { SimpleCommand } from '../shell/script-model.js';
import { isWorkCommand } from '../work-commands.js';

/**
 * A failure of the job's real work that the script hides, so a crashed training goes on to the next step and may
 * end "succeeded", its outputs half written: piped into `tee` (or anything) in a shell without pipefail, where the
 * pipeline's status is the last command's (a script file run with bash starts without it; the inline setup and run
 * have it); followed by `|| true`; or, under `set -e`, on the left of `&&` with more commands after the list (bash
 * does not stop for a failure there). A warning: some jobs mean it (an evaluation allowed to fail).
 */
export const hiddenFailure: Rule = {
  id: 'hidden-failure',
  summary: 'a failure of the training command hidden by a pipe without pipefail, by || true, or by && under set -e',
  check({ scripts }) {
    const findings: Finding[] = [];
    const cache = new Map<ScriptInput, Map<SimpleCommand, ShellOptions>>();
    for (const script of scripts) {
      // PIPESTATUS read anywhere: the script looks at each command's status itself.
      if (/PIPESTATUS/.test(script.text)) continue;
      const options = optionsAt(script, cache);
      const commands = script.parsed.commands;
      commands.forEach((command, index) => {
        if (!isWorkCommand(command)) return;
        const program = command.words.find((word) => word.literal !== undefined)?.literal ?? 'it';
        const set = options.get(command) ?? { errexit: true, pipefail: true };
        const hidden = hiddenBy(command, commands, index, set);
        if (hidden)
          findings.push(
            scriptFinding(script, command.position, {
              rule: 'hidden-failure',
              severity: 'warning',
              message: `if ${program} fails here, ${hidden.what}`,
              hint: hidden.fix,
            }),
          );
      });
    }
    return findings;
  },
};

function hiddenBy(
  command: SimpleCommand,
  commands: readonly SimpleCommand[],
  index: number,
  options: ShellOptions,
): { what: string; fix: string } | undefined {
  if (command.pipesInto && !options.pipefail)
    return {
      what:
        "the pipe hides it: without pipefail a pipeline's status is its last command's, " +
        'so the script goes on (and the job may end "succeeded")',
      fix: "put 'set -o pipefail' (or 'set -euo pipefail') at the top of the script",
    };
  const next = commands[index + 1];
  if (command.orElse && next && isTrue(next))
    return {
      what: `'|| ${next.words[0]?.raw}' turns the failure into success: a crash is not reported`,
      fix: 'drop it, or handle the failure (|| { echo "training failed" >&2; exit 1; })',
    };
  if (command.andThen && options.errexit && !command.nested) {
    const end = commands.findIndex((candidate, at) => at >= index && candidate.endsList);
    // `a && b || exit 1` handles the failure; with nothing after the list, its status is the script's.
    const handled = commands.slice(index, end + 1).some((candidate) => candidate.orElse);
    if (end >= 0 && !handled && end < commands.length - 1)
      return {
        what:
          "set -e does not stop the script for a failure on the left of '&&': the rest of the list is skipped " +
          'and the script goes on',
        fix: "put the commands on lines of their own, or end the list with '|| exit 1'",
      };
  }
  return undefined;
}

function isTrue(command: SimpleCommand): boolean {
  const name = command.words[0]?.literal;
  return (name === 'true' || name === ':') && command.words.length === 1;
}
