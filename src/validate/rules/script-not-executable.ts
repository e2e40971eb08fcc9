import type { Finding } from '../../base/finding.js';
import { scriptFinding, type Rule } from '../rule.js';

/** `./train.sh` on a file without its executable bit: "Permission denied", after the machine started. */
export const scriptNotExecutable: Rule = {
  id: 'script-not-executable',
  summary: "a script run as './script.sh' whose file is not executable",
  check({ calls, workdir }) {
    const findings: Finding[] = [];
    for (const call of calls) {
      if (call.how !== 'executable' || workdir.state(call.path) !== 'shipped' || workdir.isExecutable(call.path))
        continue;
      const word = call.command.words[0]!;
      findings.push(
        scriptFinding(call.caller, word.position, {
          rule: 'script-not-executable',
          severity: 'error',
          message: `${call.path} is not executable, so running it as '${word.raw}' fails with "Permission denied"`,
          hint: `chmod +x ${call.path} (and commit the mode), or run it as 'bash ${word.raw}'`,
        }),
      );
    }
    return findings;
  },
};
