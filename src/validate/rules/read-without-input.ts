import type { Finding } from '../../base/finding.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import { optionsAt, type ShellOptions } from '../shell-options.js';
import type { SimpleCommand } from '../shell/script-model.js';

/**
 * `read` with nothing to read: a job's standard input is empty (dlrun starts it from /dev/null on every backend), so
 * a `read -p "Continue? " answer` meant for a person gets end of file at once and returns 1. Under set -e (dlrun's
 * inline setup and run) the script stops there: an error; elsewhere the variable is empty and the script goes on: a
 * warning. A `read` given input (`< file`, `<<<`, a heredoc, the end of a pipe), in a condition (`while read -r
 * line`), or followed by `||`/`&&` is fine.
 */
export const readWithoutInput: Rule = {
  id: 'read-without-input',
  summary: "'read' from a terminal the job does not have: its input is empty, read fails",
  check({ scripts }) {
    const findings: Finding[] = [];
    const cache = new Map<ScriptInput, Map<SimpleCommand, ShellOptions>>();
    for (const script of scripts) {
      // `exec < file` (or `exec 0< file`) gives the whole script an input.
      const inputGiven = script.parsed.commands.some(
        (command) =>
          command.words[0]?.literal === 'exec' &&
          command.words.length === 1 &&
          command.redirects.some((redirect) => /^0?<$/.test(redirect.operator)),
      );
      if (inputGiven) continue;
      const options = optionsAt(script, cache);
      script.parsed.commands.forEach((command, index) => {
        if (command.words[0]?.literal !== 'read' || command.nested || command.orElse || command.andThen) return;
        if (command.redirects.some((redirect) => redirect.operator.startsWith('<') && redirect.operator !== '<>'))
          return;
        if (script.parsed.commands[index - 1]?.pipesInto) return;
        // `read -u 3` reads another file descriptor the script opened.
        if (command.words.some((word) => /^-[a-zA-Z]*u/.test(word.literal ?? ''))) return;
        const stops = options.get(command)?.errexit ?? true;
        findings.push(
          scriptFinding(script, command.position, {
            rule: 'read-without-input',
            severity: stops ? 'error' : 'warning',
            message:
              "'read' waits for a line typed in, but a job's input is empty (/dev/null): read fails at once" +
              (stops ? ', and set -e stops the script here' : ', and its variable stays empty'),
            hint: 'give the answer in env: (or as a default, ${ANSWER:-yes}) instead of asking for it',
          }),
        );
      });
    }
    return findings;
  },
};
