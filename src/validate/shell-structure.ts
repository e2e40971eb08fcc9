import type { CompoundCommand, ParsedScript, SimpleCommand } from './shell/script-model.js';

/** The commands of a script that run inside a `$( ... )` or backquotes (a subshell of their own). */
export function substitutionCommands(parsed: ParsedScript): Set<SimpleCommand> {
  const inner = new Set<SimpleCommand>();
  for (const command of parsed.commands) {
    const words = [
      ...command.words,
      ...command.assignments.flatMap((assignment) => (assignment.value ? [assignment.value] : [])),
      ...command.redirects.flatMap((redirect) => (redirect.target ? [redirect.target] : [])),
    ];
    for (const word of words)
      for (const part of word.parts) if (part.kind === 'substitution') for (const one of part.commands) inner.add(one);
  }
  return inner;
}

/** The function bodies of a script, by name (the last definition of a name). */
export function functionBodies(parsed: ParsedScript): Map<string, CompoundCommand> {
  const bodies = new Map<string, CompoundCommand>();
  for (const compound of parsed.compounds ?? [])
    if (compound.kind === 'function' && compound.name) bodies.set(compound.name, compound);
  return bodies;
}

/** For each command of a script, whether it is inside a function body (it runs where the function is called). */
export function inFunctionBodies(parsed: ParsedScript): boolean[] {
  const inside = new Array<boolean>(parsed.commands.length).fill(false);
  for (const compound of parsed.compounds ?? [])
    if (compound.kind === 'function') inside.fill(true, compound.bodyStart, compound.bodyEnd);
  return inside;
}

/**
 * Whether bash ignores `set -e` for a command or compound because of where it stands: in an `if`/`while` test,
 * after `!`, or on the left of `&&` or `||`.
 */
export function inConditionContext(command: {
  readonly condition?: boolean;
  readonly negated?: boolean;
  readonly andThen?: boolean;
  readonly orElse?: boolean;
}): boolean {
  return Boolean(command.condition || command.negated || command.andThen || command.orElse);
}
