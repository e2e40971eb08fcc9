import type { Finding } from '../../backend/finding.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';

/**
 * Work started in the background (`cmd &`) with no `wait` after it: the script ends at once, the job is recorded
 * as done, its outputs are collected half-written, and on a cloud machine the shutdown kills the work.
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
        const waited = commands.slice(index + 1).some((later) => ['wait', 'fg'].includes(effectiveCommand(later)?.name ?? ''));
        if (waited) return;
        findings.push(
          scriptFinding(script, effective.nameWord.position, {
            rule: 'background-without-wait',
            severity: 'warning',
            message: `'${effective.name}' runs in the background and nothing waits for it: the job ends (and the machine stops) while it still runs`,
            hint: "add 'wait' at the end of the script, or drop the '&'",
          }),
        );
      });
    }
    return findings;
  },
};
