import type { Finding } from '../../base/finding.js';
import type { BackendName } from '../../spec/backend-names.js';
import { didYouMean, editDistance, isLikelySlip } from '../../util/did-you-mean.js';
import { effectiveCommand } from '../command-words.js';
import { installedCommands } from '../installed-commands.js';
import { runsHere, scriptFinding, backendValidation, type Rule, type ValidationContext } from '../rule.js';

/**
 * A command that will not exist on the machine the job runs on but is one slip away from one that does
 * (`pyhton`, `nvidai-smi`, `torchrnu`): judged against what the backend's machines have (its validation module's
 * `commands`: its image, or this machine's PATH for a job that runs here) plus what the job installs and defines,
 * never against this laptop's PATH for a cloud.
 */
export const commandTypo: Rule = {
  id: 'command-typo',
  summary: "a command that will not exist on the machine but is close to one that does ('pyhton')",
  check(context) {
    const findings: Finding[] = [];
    const installed = installedCommands(context.scripts, context.workdir);
    const available = context.targets.map((target) => ({
      target,
      commands: new Set([...backendValidation(context, target).commands(context.machine), ...installed]),
    }));
    const reported = new Set<string>();
    for (const script of context.scripts) {
      for (const command of script.parsed.commands) {
        const effective = effectiveCommand(command);
        // `--lr 0.01` as a command: the line above it, which it was meant to continue, ends without its '\' (or
        // with a space after it). The mistake is on that line, at its end.
        if (effective && /^-[\w-]/.test(effective.name) && command.position.line > 1) {
          const lines = script.text.split('\n');
          let above = command.position.line - 1;
          while (above > 1 && /^\s*(#.*)?$/.test(lines[above - 1] ?? '')) above -= 1;
          const text = (lines[above - 1] ?? '').replace(/\s+$/, '');
          findings.push(
            scriptFinding(
              script,
              { line: above, column: text.endsWith('\\') ? text.length : text.length + 1 },
              {
                rule: 'command-typo',
                severity: 'error',
                message: text.endsWith('\\')
                  ? "a space after this '\\' ends the command here, " +
                    `so the next line ('${effective.name} ...') runs as a command of its own`
                  : "this line ends without '\\', " +
                    `so the next line ('${effective.name} ...') runs as a command of its own`,
                hint: 'end the line with a backslash and nothing after it, not even a space',
              },
            ),
          );
          continue;
        }
        if (
          !effective ||
          effective.name.includes('/') ||
          effective.name.includes('=') ||
          !/^[A-Za-z0-9_.+-]+$/.test(effective.name)
        )
          continue;
        const missingOn = available.filter(({ commands }) => !commands.has(effective.name));
        if (missingOn.length === 0) continue;
        const suggestion = missingOn
          .map(({ commands }) => closest(effective.name, commands))
          .find((candidate) => candidate !== undefined);
        const key = `${script.file}:${effective.nameWord.position.line}:${effective.nameWord.position.column}`;
        if (reported.has(key)) continue;
        if (suggestion) {
          reported.add(key);
          findings.push(
            scriptFinding(script, effective.nameWord.position, {
              rule: 'command-typo',
              severity: 'error',
              message: `'${effective.name}' is not a command${describeTargets(
                missingOn.map(({ target }) => target),
                context,
              )}`,
              suggestion,
            }),
          );
        } else if (missingOn.some(({ target }) => runsHere(context, target))) {
          reported.add(key);
          findings.push(
            scriptFinding(script, effective.nameWord.position, {
              rule: 'command-typo',
              severity: 'warning',
              message: `'${effective.name}' is not on this machine's PATH, and the job does not install it`,
              hint: 'install it in setup, or check the spelling',
            }),
          );
        }
      }
    }
    return findings;
  },
};

function describeTargets(targets: readonly BackendName[], context: ValidationContext): string {
  if (context.portable) return '';
  if (targets.length === 1 && runsHere(context, targets[0]!)) return ' on this machine';
  return ` on ${targets.join(' or ')} machines`;
}

/**
 * The command meant, when the name is one slip from it. Very short names need a swap of two letters (`sl` for
 * `ls`): any one-letter change to a two- or three-letter name lands on some other real tool. A name that is not a
 * slip (`cmake` for `make`, `python3.11` for `python3`, `vmstat` for `stat`) is a tool of its own, not a typo.
 */
function closest(name: string, commands: ReadonlySet<string>): string | undefined {
  const candidate = didYouMean(name, commands);
  if (!candidate || !isLikelySlip(name, candidate)) return undefined;
  if (
    name.length <= 3 &&
    (editDistance(name, candidate) !== 1 || [...name].sort().join('') !== [...candidate].sort().join(''))
  )
    return undefined;
  return candidate;
}
