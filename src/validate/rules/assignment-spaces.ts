import type { Finding } from '../../base/finding.js';
import { backendValidation, runsHere, scriptFinding, type Rule, type ValidationContext } from '../rule.js';
import { DECLARING_BUILTINS } from '../script-variables.js';

/**
 * An assignment written with spaces around `=`: `LR = 0.1` runs a command named LR with the arguments `=` and `0.1`
 * (command not found), and `export EPOCHS = 10` exports EPOCHS empty and fails on `=` ("not a valid identifier").
 * Either way the variable is not set, and under set -e (dlrun's inline setup and run) the script stops there. A
 * first word that is a command on the machine (`test = x` style calls) is left alone.
 */
export const assignmentSpaces: Rule = {
  id: 'assignment-spaces',
  summary: "'NAME = value' or 'export NAME = value': spaces around = make a command, not an assignment",
  check(context) {
    const findings: Finding[] = [];
    for (const script of context.scripts) {
      for (const command of script.parsed.commands) {
        const words = command.words.map((word) => word.literal);
        const declarer = DECLARING_BUILTINS.has(words[0] ?? '');
        const nameAt = declarer ? 1 : 0;
        const name = words[nameAt];
        const equals = words[nameAt + 1];
        if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || equals === undefined) continue;
        // `NAME = value`, `NAME =value`; `export NAME= value` is valid (an empty value, then another name).
        if (equals !== '=' && !(equals.startsWith('=') && equals.length > 1)) continue;
        if (!declarer && isCommand(context, name)) continue;
        const value = equals === '=' ? (command.words[nameAt + 2]?.raw ?? '') : equals.slice(1);
        const written = `${declarer ? `${words[0]} ` : ''}${name}=${value}`;
        findings.push(
          scriptFinding(script, command.words[nameAt + 1]!.position, {
            rule: 'assignment-spaces',
            severity: 'error',
            message: declarer
              ? `'${words[0]} ${name} ${equals}' fails on '=' ("not a valid identifier") and leaves ${name} empty: ` +
                'an assignment has no spaces around ='
              : `bash reads '${name} ${equals}' as the command '${name}' (not found), not an assignment: ` +
                'an assignment has no spaces around =',
            suggestion: written,
            hint: `write ${written}`,
          }),
        );
      }
    }
    return findings;
  },
};

/** Whether a name is a command on every machine the job is checked for (then `name = x` may be a real call). */
function isCommand(context: ValidationContext, name: string): boolean {
  return context.targets.some((target) =>
    runsHere(context, target)
      ? context.machine.commandsOnPath.has(name)
      : backendValidation(context, target).commands(context.machine).has(name),
  );
}
