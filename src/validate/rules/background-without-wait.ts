import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';

/** Commands that return at once: after a background command, only these left means the script ends right away. */
const INSTANT = new Set([
  'echo',
  'printf',
  'true',
  'false',
  ':',
  'exit',
  'return',
  'set',
  'export',
  'unset',
  'shift',
  'cd',
  'trap',
  'disown',
  'date',
  'sync',
]);

/**
 * Work started in the background (`cmd &`) with no `wait` after it: the script ends at once, the job is recorded
 * as done, its outputs are collected half-written, and on a cloud machine the shutdown kills the work. Work the
 * script stops itself (`kill`, a trap that kills it) is not left behind. When nothing but instant commands follow
 * in the `run` script, the job ends as soon as it starts the work: an error; otherwise it is cut off when the rest
 * of the run ends, which is risky but sometimes intended (a sidecar): a warning.
 */
export const backgroundWithoutWait: Rule = {
  id: 'background-without-wait',
  summary: "work started with '&' and never waited for",
  check({ scripts }) {
    const findings: Finding[] = [];
    for (const script of scripts.filter((candidate) => candidate.origin !== 'setup')) {
      const commands = script.parsed.commands;
      commands.forEach((command, index) => {
        if (!command.background || command.nested) return;
        const effective = effectiveCommand(command);
        if (!effective) return;
        const later = commands.slice(index + 1);
        const handled = later.some((next) => {
          const name = effectiveCommand(next)?.name ?? '';
          return (
            ['wait', 'fg', 'kill', 'pkill'].includes(name) ||
            (name === 'trap' && next.words.some((word) => /\b(kill|wait)\b/.test(word.literal ?? word.raw)))
          );
        });
        if (handled) return;
        const endsAtOnce =
          script.origin === 'run' &&
          later.every((next) => next.background || INSTANT.has(effectiveCommand(next)?.name ?? ''));
        findings.push(
          scriptFinding(script, effective.nameWord.position, {
            rule: 'background-without-wait',
            severity: endsAtOnce ? 'error' : 'warning',
            message: endsAtOnce
              ? `'${effective.name}' runs in the background and the run script ends right after starting it: ` +
                'the job is over (and the machine stops) at once'
              : `'${effective.name}' runs in the background and nothing waits for it: ` +
                'the job ends (and the machine stops) while it still runs',
            hint: "add 'wait' at the end of the script, or drop the '&'",
          }),
        );
      });
    }
    return findings;
  },
};
