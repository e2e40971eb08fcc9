import type { Finding } from '../../base/finding.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import type { SimpleCommand } from '../shell/script-model.js';
import { isWorkCommand } from '../work-commands.js';

/**
 * A failure of the job's real work that the script hides, so a crashed training reports success: piped into
 * `tee` (or anything) without `set -o pipefail`, where the pipeline's status is the last command's; or followed by
 * `|| true`. The job ends "succeeded", its outputs are collected half written, and the bill says nothing went
 * wrong. A warning: some jobs mean it (PIPESTATUS read after the pipeline, an evaluation allowed to fail).
 */
export const hiddenFailure: Rule = {
  id: 'hidden-failure',
  summary: 'a failure of the training command hidden by a pipe without pipefail or by || true',
  check({ scripts }) {
    const findings: Finding[] = [];
    for (const script of scripts) {
      if (readsPipeStatus(script)) continue;
      let pipefail = script.calledBy?.how === 'source' && callerSetsPipefail(script);
      script.parsed.commands.forEach((command, index) => {
        if (setsPipefail(command)) pipefail = !isUnset(command);
        if (!isWorkCommand(command)) return;
        const next = script.parsed.commands[index + 1];
        const program = command.words.find((word) => word.literal !== undefined)?.literal ?? 'it';
        if (command.pipesInto && !pipefail)
          findings.push(
            scriptFinding(script, command.position, {
              rule: 'hidden-failure',
              severity: 'warning',
              message:
                `if ${program} fails here, the pipe hides it: without pipefail a pipeline's status is its last ` +
                'command\'s, so the job goes on (and may end "succeeded")',
              hint: "put 'set -o pipefail' (or 'set -euo pipefail') at the top of the script",
            }),
          );
        else if (command.orElse && next && isTrue(next))
          findings.push(
            scriptFinding(script, command.position, {
              rule: 'hidden-failure',
              severity: 'warning',
              message: `'|| ${next.words[0]?.raw}' turns a failure of ${program} into success: a crash is not reported`,
              hint: 'drop it, or handle the failure (|| { echo "training failed"; exit 1; })',
            }),
          );
      });
    }
    return findings;
  },
};

function setsPipefail(command: SimpleCommand): boolean {
  const words = command.words.map((word) => word.literal ?? '');
  return words[0] === 'set' && words.includes('pipefail');
}

/** `set +o pipefail` turns it off again. */
function isUnset(command: SimpleCommand): boolean {
  const words = command.words.map((word) => word.literal ?? '');
  return words[words.indexOf('pipefail') - 1]?.startsWith('+') ?? false;
}

function isTrue(command: SimpleCommand): boolean {
  const name = command.words[0]?.literal;
  return (name === 'true' || name === ':') && command.words.length === 1;
}

/** PIPESTATUS read anywhere: the script looks at each command's status itself. */
function readsPipeStatus(script: ScriptInput): boolean {
  return /PIPESTATUS/.test(script.text);
}

/** A sourced file runs in its caller's shell, with the caller's pipefail. */
function callerSetsPipefail(script: ScriptInput): boolean {
  const caller = script.calledBy!.caller;
  return caller.parsed.commands.some(
    (command) => setsPipefail(command) && command.position.line <= script.calledBy!.command.position.line,
  );
}
