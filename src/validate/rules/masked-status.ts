import type { Finding } from '../../base/finding.js';
import { scriptFinding, type Rule } from '../rule.js';
import { DECLARING_BUILTINS } from '../script-variables.js';
import { isWorkCommand } from '../work-commands.js';

/**
 * `export MODEL=$(python select_model.py)` (or `local`, `declare`, `readonly`): the status is the declaration's,
 * always 0, so a failing program leaves the variable empty and set -e (on in dlrun's setup and run) does not stop
 * the script; a plain `MODEL=$(...)` would have stopped it. Only programs that are the job's own work count (a
 * Python script or module, a launcher, a script file), not `$(nproc)` or `$(python -c ...)`. shellcheck's SC2155 says
 * the same of every command, which is too often harmless to report.
 */
export const maskedStatus: Rule = {
  id: 'masked-status',
  summary: "export/local NAME=$(python script.py): the declaration's status hides the program's failure",
  check({ scripts }) {
    const findings: Finding[] = [];
    for (const script of scripts) {
      for (const command of script.parsed.commands) {
        const declarer = command.words[0]?.literal;
        if (!declarer || !DECLARING_BUILTINS.has(declarer)) continue;
        for (const word of command.words.slice(1)) {
          const name = /^([A-Za-z_]\w*)=/.exec(word.raw)?.[1];
          const hidden = word.parts.some(
            (part) => part.kind === 'substitution' && part.commands.some((inner) => isWorkCommand(inner)),
          );
          if (!name || !hidden) continue;
          findings.push(
            scriptFinding(script, word.position, {
              rule: 'masked-status',
              severity: 'warning',
              message:
                `'${declarer} ${name}=$(...)' returns ${declarer}'s status, not the program's: if it fails, ` +
                `${name} is empty and the script goes on`,
              hint: `assign first, then ${declarer}: ${name}=$(...); ${declarer} ${name}`,
            }),
          );
        }
      }
    }
    return findings;
  },
};
