import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import { optionsAt, type ShellOptions } from '../shell-options.js';
import type { SimpleCommand } from '../shell/script-model.js';

/**
 * `yes | conda install ...` under `set -e` and pipefail, which dlrun's inline setup and run always have: `yes` writes
 * for ever, so when the command it answers exits, `yes` is killed by SIGPIPE (status 141); pipefail makes that the
 * pipeline's status and set -e stops the script there, every time, after the install has worked. A pipeline in a
 * condition or followed by `||` is left alone, and so is a shell without pipefail or set -e.
 */
export const yesPipeFails: Rule = {
  id: 'yes-pipe-fails',
  summary: "'yes | command' under pipefail and set -e (dlrun's setup and run): yes dies of SIGPIPE and stops the job",
  check({ scripts }) {
    const findings: Finding[] = [];
    const cache = new Map<ScriptInput, Map<SimpleCommand, ShellOptions>>();
    for (const script of scripts) {
      const options = optionsAt(script, cache);
      const commands = script.parsed.commands;
      commands.forEach((command, index) => {
        if (!command.pipesInto || command.nested || effectiveCommand(command)?.name !== 'yes') return;
        const set = options.get(command);
        if (!set?.pipefail || !set.errexit) return;
        // The pipeline's last command: `yes | a | b`; a `||` after it handles the failure.
        let last = index + 1;
        while (commands[last]?.pipesInto) last += 1;
        const reader = commands[last];
        if (!reader || reader.orElse || reader.andThen) return;
        const answered = reader.words.map((word) => word.literal ?? word.raw).join(' ');
        findings.push(
          scriptFinding(script, command.position, {
            rule: 'yes-pipe-fails',
            severity: 'error',
            message:
              `'yes | ${shorten(answered)}' fails under pipefail and set -e` +
              (script.calledBy ? '' : " (dlrun runs setup and run with 'bash -eo pipefail')") +
              ': when the command exits, yes is killed by SIGPIPE (status 141), and the script stops here',
            hint: "answer with the command's own option instead (-y, --yes), or end the line with '|| true'",
          }),
        );
      });
    }
    return findings;
  },
};

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
