import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { backendValidation, runsHere, scriptFinding, type Rule, type ValidationContext } from '../rule.js';
import type { ScriptInput } from '../script-input.js';

/**
 * An alias defined in a job's script and used after it: bash expands aliases only in interactive shells (or after
 * `shopt -s expand_aliases`), so the name runs as a command of its own. Where the machine has no such command it
 * fails ("command not found", an error); where it has one it runs that command, not what the alias says (a warning:
 * `alias python=python3` where python is Python 3 anyway changes nothing).
 */
export const aliasNotExpanded: Rule = {
  id: 'alias-not-expanded',
  summary: "an alias used in a job's script, where bash does not expand aliases",
  check(context) {
    const findings: Finding[] = [];
    for (const script of context.scripts) {
      // POSIX sh expands aliases in scripts too: a file run by sh (or with a #!/bin/sh line) is left alone.
      if (runBySh(script)) continue;
      const aliases = new Map<string, string>();
      let expands = false;
      for (const command of script.parsed.commands) {
        const words = command.words.map((word) => word.literal);
        if (words[0] === 'shopt' && words.includes('expand_aliases') && words.includes('-s')) expands = true;
        if (words[0] === 'alias') {
          for (const definition of words.slice(1)) {
            const match = /^([\w.-]+)=(.*)$/s.exec(definition ?? '');
            if (match) aliases.set(match[1]!, match[2]!);
          }
          continue;
        }
        if (expands) continue;
        // Only the first word of a command is alias-expanded; a wrapper's command (`sudo x`) never is.
        const name = command.words[0]?.literal;
        if (name === undefined || !aliases.has(name) || effectiveCommand(command)?.name !== name) continue;
        // Its first use says it; the others follow from the same mistake.
        const definition = aliases.get(name)!;
        aliases.delete(name);
        const present = everywhere(context, name);
        findings.push(
          scriptFinding(script, command.words[0]!.position, {
            rule: 'alias-not-expanded',
            severity: present ? 'warning' : 'error',
            message:
              `'${name}' is an alias, and bash does not expand aliases in a script: ` +
              (present ? `this runs the machine's own ${name}, not '${definition}'` : 'this command is not found'),
            hint:
              `write the command itself ('${definition}'), ` +
              `or define a function: ${name}() { ${definition} "$@"; }`,
          }),
        );
      }
    }
    return findings;
  },
};

function runBySh(script: ScriptInput): boolean {
  const call = script.calledBy;
  if (!call || call.how === 'source') return false;
  if (call.how === 'shell') return effectiveCommand(call.command)?.name !== 'bash';
  return !/^#!\S*(bash|env\s+bash)\b/.test(script.text);
}

/** Whether every machine the job is checked for has a command of that name before setup installs anything. */
function everywhere(context: ValidationContext, name: string): boolean {
  return context.targets.every((target) =>
    runsHere(context, target)
      ? context.machine.commandsOnPath.has(name)
      : backendValidation(context, target).commands(context.machine).has(name),
  );
}
