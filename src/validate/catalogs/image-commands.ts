import { BASE_COMMANDS, BASH_BUILTINS, GPU_COMMANDS, PYTHON_COMMANDS } from './shell-commands.js';

const EVERYWHERE = new Set<string>([...BASH_BUILTINS, ...BASE_COMMANDS, ...PYTHON_COMMANDS, ...GPU_COMMANDS]);

/**
 * The commands a backend's default image is known to have: those of every Linux training machine, and the image's
 * own (each backend's validation module lists them, with its sources), so that a command is judged against the
 * machine the job runs on, not this laptop. Lists, not guarantees: a missing command is only reported when it is a
 * near miss of one listed.
 */
export function imageCommands(own: readonly string[]): ReadonlySet<string> {
  return new Set([...EVERYWHERE, ...own]);
}
