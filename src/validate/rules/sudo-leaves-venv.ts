import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';

const ENVIRONMENT_COMMANDS = new Set(['python', 'python3', 'pip', 'pip3', 'torchrun', 'accelerate', 'deepspeed']);

/**
 * `sudo pip install x` (or `sudo python ...`) after activating a virtualenv or a conda environment: sudo resets PATH
 * to its secure_path (even with -E), so it runs the system's pip and python, not the environment's. The packages go
 * to the system (or are refused there), and the environment the job then runs in does not have them.
 */
export const sudoLeavesVenv: Rule = {
  id: 'sudo-leaves-venv',
  summary: 'sudo pip/python after activating an environment: sudo runs the system ones instead',
  check({ scripts }) {
    const findings: Finding[] = [];
    for (const script of scripts) {
      let active: string | undefined;
      for (const command of script.parsed.commands) {
        const words = command.words.map((word) => word.literal ?? '');
        if ((words[0] === 'source' || words[0] === '.') && /\/bin\/activate$/.test(words[1] ?? ''))
          active = words[1]!.replace(/\/bin\/activate$/, '');
        if (/^(conda|mamba|micromamba)$/.test(words[0] ?? '') && words[1] === 'activate') active = words[2] ?? 'base';
        if (words[0] === 'deactivate') active = undefined;
        const effective = effectiveCommand(command);
        if (!active || !effective?.wrappers.includes('sudo') || !ENVIRONMENT_COMMANDS.has(effective.name)) continue;
        // `sudo env PATH="$PATH" pip ...` keeps the environment's PATH.
        if (words.some((word) => /^(PATH|VIRTUAL_ENV)=/.test(word)) || command.words.some((w) => /PATH=/.test(w.raw)))
          continue;
        findings.push(
          scriptFinding(script, effective.nameWord.position, {
            rule: 'sudo-leaves-venv',
            severity: 'error',
            message:
              `'sudo ${effective.name}' runs the system's ${effective.name}, not the one of the environment ` +
              `${active} activated above: sudo resets PATH`,
            hint: 'drop sudo: the environment is yours to write, and its own pip installs into it',
          }),
        );
      }
    }
    return findings;
  },
};
