import type { Finding } from '../../base/finding.js';
import { didYouMean } from '../../util/did-you-mean.js';
import { DLRUN_VARIABLES } from '../catalogs/provided-variables.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import {
  providedVariables,
  setsUnknownVariables,
  turnsOnNounset,
  variableUses,
  variablesSet,
} from '../script-variables.js';
import { shellsOf } from '../collect-scripts.js';

/** Expansions that give a default, test for, or report an unset variable: fine for a variable that may be unset. */
const SAFE_OPERATORS = new Set([':-', '-', ':=', '=', ':?', '?', ':+', '+', '!indirect']);
const SPECIAL = /^([0-9@*#?$!-]|0)$/;

/**
 * Variables used but never set, where it matters: under `set -u` bash stops the job at the first one, and a near
 * miss of a variable that is set (`$EPOHCS` for `$EPOCHS`) silently expands to nothing. `env:` values, secrets,
 * the DLRUN_* variables, what the backend sets, `${VAR:-default}` and whatever the scripts set are all fine, except
 * a variable set only in setup and used in run (or the other way): they run in separate shells.
 */
export const unsetVariable: Rule = {
  id: 'unset-variable',
  summary: 'a variable used but never set, under set -u or as a near miss of one that is set',
  check(context) {
    const findings: Finding[] = [];
    const fromScripts = variablesSet(context.scripts);
    const given = new Set(providedVariables(context));
    const known = new Set<string>([...fromScripts, ...given]);
    // setup and run are separate shells: a variable only the other one sets is empty here.
    const shells = new Map(context.scripts.map((script) => [script, shellsOf(script, context.calls)]));
    const setIn = {
      setup: variablesSet(context.scripts.filter((script) => shells.get(script)!.has('setup'))),
      run: variablesSet(context.scripts.filter((script) => shells.get(script)!.has('run'))),
    };
    const nearMissCandidates = [
      ...fromScripts,
      ...Object.keys(context.job.env ?? {}),
      ...(context.job.secrets ?? []),
      ...DLRUN_VARIABLES,
    ];
    const reported = new Set<string>();
    for (const script of context.scripts) {
      let nounset = false;
      let sourcedUnknown = false;
      for (const command of script.parsed.commands) {
        for (const use of variableUses(command)) {
          // In a function (a nested command), $1 is the function's own argument.
          const positionalUnderNounset =
            /^[1-9]$/.test(use.name) && nounset && !command.nested && Number(use.name) > argumentsGiven(script);
          const safe = use.operator !== undefined && SAFE_OPERATORS.has(use.operator);
          const key = `${script.file}:${use.name}`;
          const otherShell =
            safe || sourcedUnknown
              ? undefined
              : [...shells.get(script)!].find(
                  (shell) =>
                    !given.has(use.name) &&
                    !setIn[shell].has(use.name) &&
                    setIn[shell === 'setup' ? 'run' : 'setup'].has(use.name),
                );
          if (otherShell && !reported.has(key)) {
            reported.add(key);
            const other = otherShell === 'setup' ? 'run' : 'setup';
            findings.push(
              scriptFinding(script, use.position, {
                rule: 'unset-variable',
                severity: 'error',
                message:
                  `$${use.name} is set in ${other}, ` +
                  `but ${other} and ${otherShell} run in separate shells: ${otherShell} never sees it`,
                hint: `set it under env: in job.yaml (both see those), or set it again in ${otherShell}`,
              }),
            );
            continue;
          }
          if (known.has(use.name) || (SPECIAL.test(use.name) && !positionalUnderNounset)) continue;
          if (safe) continue;
          const meant = didYouMean(use.name, nearMissCandidates);
          if (meant && !reported.has(key)) {
            reported.add(key);
            findings.push(
              scriptFinding(script, use.position, {
                rule: 'unset-variable',
                severity: 'error',
                message: `$${use.name} is never set`,
                suggestion: meant,
              }),
            );
          } else if (nounset && !sourcedUnknown && !reported.has(key)) {
            reported.add(key);
            findings.push(
              scriptFinding(script, use.position, {
                rule: 'unset-variable',
                severity: 'error',
                message: /^[1-9]$/.test(use.name)
                  ? `$${use.name} is not set ` +
                    `(the script gets ${argumentsGiven(script) || 'no'} ` +
                    `argument${argumentsGiven(script) === 1 ? '' : 's'}), and set -u stops bash here`
                  : `$${use.name} is never set, and set -u stops bash here`,
                hint: `set it in env: in job.yaml, or write \${${use.name}:-default}`,
              }),
            );
          }
        }
        if (turnsOnNounset(command)) nounset = true;
        const effective = effectiveCommand(command);
        if (setsUnknownVariables(command)) sourcedUnknown = true;
        if (
          (effective?.name === 'source' || effective?.name === '.') &&
          !context.calls.some(
            (call) =>
              call.command === command &&
              context.scripts.some((followed) => followed.origin === 'file' && followed.file.endsWith(call.path)),
          )
        )
          sourcedUnknown = true;
      }
    }
    return findings;
  },
};

/**
 * How many arguments a script gets: none for setup and run; for a script file, the words after it in the command that
 * runs it (`bash scripts/train.sh 10 0.1`), or any number when they cannot be counted (`"$@"`, an unquoted
 * expansion) or when the file is sourced (it sees its caller's).
 */
function argumentsGiven(script: ScriptInput): number {
  const call = script.calledBy;
  if (script.origin !== 'file') return 0;
  if (!call || call.how === 'source') return Infinity;
  const words = call.command.words;
  let index = 0;
  if (call.how === 'shell')
    for (index = 1; index < words.length && (words[index]!.literal ?? '').startsWith('-'); index++);
  const args = words.slice(index + 1);
  return args.some((word) =>
    word.parts.some(
      (part) =>
        part.kind !== 'literal' &&
        !(part.kind === 'variable' && part.quoted && !['@', '*'].includes(part.use.name) && part.use.operator !== '['),
    ),
  )
    ? Infinity
    : args.length;
}
