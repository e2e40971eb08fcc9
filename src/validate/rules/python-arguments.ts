import type { Finding } from '../../base/finding.js';
import { didYouMean } from '../../util/did-you-mean.js';
import { cliFlags, cliProblems } from '../python-cli.js';
import { scriptFinding, type Rule } from '../rule.js';

/**
 * Arguments on the command line that the entry script's argparse or click interface does not accept (argparse stops
 * with "unrecognized arguments" once the machine is up), and required ones it is not given. Only interfaces python3
 * could read in full are judged (one parser, literal flags, no parse_known_args, no other argument library, no
 * parser handed to another module's code); expansions on the line are not judged.
 */
export const pythonArguments: Rule = {
  id: 'python-arguments',
  summary: "an argument the Python script's argparse/click interface does not accept, or a required one not given",
  check(context) {
    const findings: Finding[] = [];
    for (const program of context.python) {
      const cli = program.facts?.cli;
      if (!cli) continue;
      const start = program.command.words[0]!.position;
      const script = program.path.split('/').pop();
      for (const problem of cliProblems(cli, program.args)) {
        if (problem.kind === 'unknown') {
          const meant = didYouMean(problem.flag, cliFlags(cli));
          findings.push(
            scriptFinding(program.script, problem.word.position, {
              rule: 'python-arguments',
              severity: 'error',
              message:
                `${script} does not accept ${problem.flag}: ` +
                `its ${cli.kind} options (${program.file}:${cli.line}) have no such flag`,
              ...(meant ? { suggestion: meant } : {}),
              hint: meant
                ? `write ${meant}`
                : `add it to the script's parser, or remove it (options: ${listed(cliFlags(cli))})`,
            }),
          );
        } else if (problem.kind === 'missing-option') {
          const flag = problem.option.flags.find((each) => each.startsWith('--')) ?? problem.option.flags[0];
          findings.push(
            scriptFinding(program.script, start, {
              rule: 'python-arguments',
              severity: 'error',
              message:
                `${script} requires ${problem.option.flags.join('/')} ` +
                `(${program.file}:${problem.option.line}), which this command does not give`,
              hint: `add ${flag} to the command`,
            }),
          );
        } else if (problem.kind === 'missing-positional') {
          findings.push(
            scriptFinding(program.script, start, {
              rule: 'python-arguments',
              severity: 'error',
              message: `${script} requires the argument ${problem.name}, which this command does not give`,
              hint: `add the ${problem.name} value after ${script}`,
            }),
          );
        } else {
          findings.push(
            scriptFinding(program.script, problem.word.position, {
              rule: 'python-arguments',
              severity: 'error',
              message:
                `${script} takes no argument '${problem.word.literal}' here: ` +
                `its ${cli.kind} interface has no operand left for it`,
              hint: 'an option may be missing its flag, or a flag its value',
            }),
          );
        }
      }
    }
    return findings;
  },
};

function listed(flags: readonly string[]): string {
  const shown = flags.filter((flag) => flag !== '-h' && flag !== '--help');
  return shown.length > 8 ? `${shown.slice(0, 8).join(', ')} ...` : shown.join(', ') || 'none';
}
