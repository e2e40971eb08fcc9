import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { SimpleCommand } from '../shell/script-model.js';

interface PromptingCommand {
  /** Subcommands that ask before acting. */
  readonly subcommands: readonly string[];
  /** Any of these answers the question in advance. */
  readonly answers: readonly string[];
  readonly fix: string;
}

/** Commands that stop to ask "Do you want to continue? [Y/n]" unless told the answer. */
const PROMPTING: Readonly<Record<string, PromptingCommand>> = {
  'apt-get': {
    subcommands: ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove'],
    answers: ['-y', '--yes', '--assume-yes', '-qq'],
    fix: 'add -y',
  },
  apt: {
    subcommands: ['install', 'upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove'],
    answers: ['-y', '--yes', '--assume-yes'],
    fix: 'add -y (and prefer apt-get in scripts)',
  },
  yum: {
    subcommands: ['install', 'update', 'upgrade', 'remove', 'erase'],
    answers: ['-y', '--assumeyes'],
    fix: 'add -y',
  },
  dnf: {
    subcommands: ['install', 'update', 'upgrade', 'remove', 'erase'],
    answers: ['-y', '--assumeyes'],
    fix: 'add -y',
  },
  conda: {
    subcommands: ['install', 'create', 'remove', 'uninstall', 'update', 'upgrade', 'clean'],
    answers: ['-y', '--yes'],
    fix: 'add -y',
  },
  mamba: {
    subcommands: ['install', 'create', 'remove', 'uninstall', 'update', 'upgrade'],
    answers: ['-y', '--yes'],
    fix: 'add -y',
  },
  micromamba: {
    subcommands: ['install', 'create', 'remove', 'uninstall', 'update', 'upgrade'],
    answers: ['-y', '--yes'],
    fix: 'add -y',
  },
  // `add-apt-repository ppa:x/y` waits for "Press [ENTER] to continue"; it has no subcommand ('*': any first word).
  'add-apt-repository': { subcommands: ['*'], answers: ['-y', '--yes'], fix: 'add -y' },
  pip: { subcommands: ['uninstall'], answers: ['-y', '--yes'], fix: 'add -y' },
  pip3: { subcommands: ['uninstall'], answers: ['-y', '--yes'], fix: 'add -y' },
};

/**
 * Commands that wait for an answer that never comes: a job has no terminal, so `apt-get install x` without `-y`
 * sits at "Do you want to continue?" (or aborts) while the machine bills. Answers given in advance (`-y`, `yes |`,
 * `CONDA_ALWAYS_YES`, `conda config --set always_yes yes`; `DEBIAN_FRONTEND` does not count: it silences
 * configuration questions, not this one) are fine.
 */
export const interactivePrompt: Rule = {
  id: 'interactive-prompt',
  summary: 'a command that waits for an answer no one will give (apt-get install without -y, conda without -y)',
  check({ scripts, job }) {
    const findings: Finding[] = [];
    const condaAlwaysYes = job.env?.CONDA_ALWAYS_YES !== undefined;
    for (const script of scripts) {
      const condaYesInScript =
        condaAlwaysYes ||
        script.parsed.commands.some(
          (command) =>
            command.assignments.some((assignment) => assignment.name === 'CONDA_ALWAYS_YES') ||
            /CONDA_ALWAYS_YES=|config\s+(--set|--system\s+--set)\s+always_yes\s+(yes|true)/.test(
              command.words.map((word) => word.raw).join(' '),
            ),
        );
      for (const command of script.parsed.commands) {
        const effective = effectiveCommand(command);
        if (!effective) continue;
        const prompting = PROMPTING[effective.name];
        if (!prompting) continue;
        const values = effective.args.map((arg) => arg.literal ?? '');
        const subcommand = values.find((value) => !value.startsWith('-'));
        if (!subcommand || !(prompting.subcommands.includes(subcommand) || prompting.subcommands.includes('*')))
          continue;
        if (values.some((value) => prompting.answers.includes(value) || /^-[a-z]*y[a-z]*$/.test(value))) continue;
        if (
          (effective.name === 'conda' || effective.name === 'mamba' || effective.name === 'micromamba') &&
          condaYesInScript
        )
          continue;
        if (answeredByPipe(command, script.parsed.commands)) continue;
        findings.push(
          scriptFinding(script, effective.nameWord.position, {
            rule: 'interactive-prompt',
            severity: 'error',
            message: `'${effective.name} ${subcommand}' asks for confirmation, and a job has no terminal to answer it`,
            suggestion: `${effective.name} ${subcommand} -y`,
            hint: prompting.fix,
          }),
        );
      }
    }
    return findings;
  },
};

/** `yes | apt-get install x`: the command just before it in the pipeline answers. */
function answeredByPipe(command: SimpleCommand, commands: readonly SimpleCommand[]): boolean {
  const index = commands.indexOf(command);
  const previous = commands[index - 1];
  return (
    previous !== undefined && previous.words[0]?.literal === 'yes' && previous.position.line === command.position.line
  );
}
