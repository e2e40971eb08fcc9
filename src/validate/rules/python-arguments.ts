import type { Finding } from '../../base/finding.js';
import { didYouMean } from '../../util/did-you-mean.js';
import { cliFlags, cliProblems } from '../python-cli.js';
import { effectiveCommand } from '../command-words.js';
import type { PythonProgram } from '../external/python-analyser.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { Word } from '../shell/script-model.js';

/**
 * Arguments on the command line that the entry script's argparse, click or typer interface does not accept
 * (argparse stops with "unrecognized arguments" once the machine is up), and required ones it is not given, nor the
 * `--local_rank` a launcher adds. Only interfaces python3
 * could read in full are judged (one parser, literal flags, no parse_known_args, no other argument library, no
 * parser handed to another module's code); expansions on the line are not judged.
 */
export const pythonArguments: Rule = {
  id: 'python-arguments',
  summary: "an argument the Python script's argparse/click/typer interface does not accept, or a required one missing",
  check(context) {
    const findings: Finding[] = [];
    for (const program of context.python) {
      const cli = program.facts?.cli;
      if (!cli) continue;
      const start = program.command.words[0]!.position;
      const script = program.path.split('/').pop();
      const injected = injectedLocalRank(program);
      if (injected?.every((flag) => cliProblems(cli, [optionWord(flag)]).length > 0))
        findings.push(
          scriptFinding(program.script, start, {
            rule: 'python-arguments',
            severity: 'error',
            message:
              `${injected.launcher} passes ${injected[0]}=N to ${script}` +
              `${injected.length > 1 ? ` (${injected[1]}=N before PyTorch 2)` : ''}, ` +
              `whose ${cli.kind} options (${program.file}:${cli.line}) do not accept it: "unrecognized arguments"`,
            hint:
              injected.launcher === 'deepspeed'
                ? 'add parser.add_argument("--local_rank", type=int, default=-1) to the script'
                : 'start it with torchrun (which passes LOCAL_RANK in the environment), or add ' +
                  'parser.add_argument("--local-rank", "--local_rank", type=int, default=0)',
          }),
        );
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

/**
 * The rank option a launcher adds to the script's own arguments: the deepspeed launcher's `--local_rank=N`
 * (unless `--no_local_rank`), and `python -m torch.distributed.launch`'s (unless `--use-env`), spelt `--local-rank`
 * by PyTorch 2 and `--local_rank` before: a script accepting either is fine there.
 */
function injectedLocalRank(program: PythonProgram): (string[] & { launcher: string }) | undefined {
  const words = effectiveCommand(program.command)?.args.map((word) => word.literal) ?? [];
  const name = effectiveCommand(program.command)?.name;
  const flags = (launcher: string, list: string[]): string[] & { launcher: string } =>
    Object.assign(list, { launcher });
  if (name === 'deepspeed' && !words.includes('--no_local_rank')) return flags('deepspeed', ['--local_rank']);
  if (
    words[0] === '-m' &&
    words[1] === 'torch.distributed.launch' &&
    !words.includes('--use_env') &&
    !words.includes('--use-env')
  )
    return flags('torch.distributed.launch', ['--local-rank', '--local_rank']);
  return undefined;
}

/** A word written out, as the parser of job scripts makes it, for an option a launcher adds itself. */
function optionWord(flag: string): Word {
  return { raw: `${flag}=0`, literal: `${flag}=0`, parts: [], position: { line: 1, column: 1 } };
}

function listed(flags: readonly string[]): string {
  const shown = flags.filter((flag) => flag !== '-h' && flag !== '--help');
  return shown.length > 8 ? `${shown.slice(0, 8).join(', ')} ...` : shown.join(', ') || 'none';
}
