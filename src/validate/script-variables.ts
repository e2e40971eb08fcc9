import { BASH_VARIABLES, DLRUN_VARIABLES } from './catalogs/provided-variables.js';
import { effectiveCommand } from './command-words.js';
import { backendValidation, runsHere, type ValidationContext } from './rule.js';
import type { ScriptInput } from './script-input.js';
import type { SimpleCommand, VariableUse, WordPart } from './shell/script-model.js';
import { arithmeticAssignments } from './shell/words.js';

/** Commands whose arguments name variables they set. */
const SETTERS = new Set([
  'export',
  'declare',
  'typeset',
  'local',
  'readonly',
  'read',
  'mapfile',
  'readarray',
  'getopts',
  'unset',
]);

/** Builtins that declare variables with a value (`local x=1`): their status is their own, not the value's. */
export const DECLARING_BUILTINS: ReadonlySet<string> = new Set(['export', 'local', 'declare', 'readonly', 'typeset']);

/** Every variable a set of scripts sets, by any means bash has. */
export function variablesSet(scripts: readonly ScriptInput[]): Set<string> {
  const names = new Set<string>();
  for (const script of scripts) {
    for (const variable of script.parsed.loopVariables) names.add(variable.name);
    for (const command of script.parsed.commands) {
      for (const assignment of command.assignments) names.add(assignment.name);
      for (const use of variableUses(command)) if (use.operator === ':=' || use.operator === '=') names.add(use.name);
      // `x=$(( y += 1 ))`: assignments inside arithmetic expansions.
      for (const word of [
        ...command.words,
        ...command.assignments.flatMap((assignment) => (assignment.value ? [assignment.value] : [])),
      ]) {
        for (const part of word.parts)
          if (part.kind === 'arithmetic') for (const name of arithmeticAssignments(part.text)) names.add(name);
      }
      const effective = effectiveCommand(command);
      if (!effective) continue;
      if (SETTERS.has(effective.name)) {
        // The name as written: `local status=$?` and `export CACHE="$HOME/x"` have no literal value, yet set the name.
        for (const word of effective.args) {
          const name = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(word.literal ?? word.raw)?.[1];
          if (name && !(word.literal ?? word.raw).startsWith('-')) names.add(name);
        }
      }
      // getopts sets OPTARG besides the variable it is given; `let "total = a * 2"` sets what it assigns.
      if (effective.name === 'getopts') names.add('OPTARG');
      if (effective.name === 'cd' || effective.name === 'pushd' || effective.name === 'popd') names.add('OLDPWD');
      if (effective.name === 'let')
        for (const word of effective.args)
          for (const name of arithmeticAssignments(word.literal ?? word.raw)) names.add(name);
      if (effective.name === 'printf') {
        const index = effective.args.findIndex((arg) => arg.literal === '-v');
        const name = effective.args[index + 1]?.literal;
        if (index !== -1 && name) names.add(name.replace(/\[.*$/, ''));
      }
    }
  }
  return names;
}

/** The variables a command expands, in its words, assignments, redirects and heredoc, with positions. */
export function variableUses(command: SimpleCommand): VariableUse[] {
  const uses: VariableUse[] = [];
  const fromParts = (parts: readonly WordPart[]): void => {
    for (const part of parts) if (part.kind === 'variable') uses.push(part.use);
  };
  for (const word of command.words) fromParts(word.parts);
  for (const assignment of command.assignments) if (assignment.value) fromParts(assignment.value.parts);
  for (const redirect of command.redirects) {
    if (redirect.target) fromParts(redirect.target.parts);
    if (redirect.heredoc) uses.push(...redirect.heredoc.variables);
  }
  return uses;
}

/**
 * Whether a command may set variables whose names cannot be read from the script: `export $(grep -v '^#' .env |
 * xargs)`, `eval "$(...)"`, `declare "$name=1"`.
 */
export function setsUnknownVariables(command: SimpleCommand): boolean {
  const effective = effectiveCommand(command);
  if (!effective) return false;
  if (effective.name === 'eval') return effective.args.some((arg) => arg.literal === undefined);
  return (
    SETTERS.has(effective.name) &&
    effective.name !== 'unset' &&
    effective.args.some((arg) => arg.literal === undefined && !/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(arg.raw))
  );
}

/** Whether `set -u` (nounset) is on from this command on, and whether sourcing unknown files may set anything. */
export function turnsOnNounset(command: SimpleCommand): boolean {
  const effective = effectiveCommand(command);
  if (effective?.name !== 'set') return false;
  const args = effective.args.map((arg) => arg.literal ?? '');
  return args.some(
    (arg, index) =>
      (/^-[a-zA-Z]*u/.test(arg) && !arg.startsWith('--')) || (arg === '-o' && args[index + 1] === 'nounset'),
  );
}

/** Variables a job's scripts get without setting them: bash's, dlrun's, env:, secrets, the backend's. */
export function providedVariables(context: ValidationContext): string[] {
  // What this machine's environment holds reaches a job only when it runs here.
  const here =
    context.targets.length === 1 && runsHere(context, context.targets[0]!) ? [...context.machine.environment] : [];
  return [
    ...BASH_VARIABLES,
    ...DLRUN_VARIABLES,
    ...Object.keys(context.job.env ?? {}),
    ...(context.job.secrets ?? []),
    ...(context.job.framework?.name === 'tensorflow' ? ['TF_CONFIG'] : []),
    ...context.targets.flatMap((target) => backendValidation(context, target).providedVariables),
    ...here,
  ];
}
