import type { Finding } from '../../base/finding.js';
import { didYouMean, isLikelySlip } from '../../util/did-you-mean.js';
import { GLOBAL_OPTIONS_WITH_VALUE, PYTHON_MODULES, SUBCOMMANDS } from '../catalogs/subcommands.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { Word } from '../shell/script-model.js';

const TOOL_ALIASES: Readonly<Record<string, string>> = { pip3: 'pip', mamba: 'conda', micromamba: 'conda' };

/** `pip instal`, `git clnoe`, `apt-get isntall`, `conda craete`, `python -m torch.distributed.lauch`. */
export const subcommandTypo: Rule = {
  id: 'subcommand-typo',
  summary: "a misspelt subcommand of pip, conda, apt-get, git, or module of python -m ('pip instal')",
  check({ scripts }) {
    const findings: Finding[] = [];
    for (const script of scripts) {
      for (const command of script.parsed.commands) {
        const effective = effectiveCommand(command);
        if (!effective) continue;
        let tool = TOOL_ALIASES[effective.name] ?? effective.name;
        let args = effective.args;
        if (/^python(3(\.\d+)?)?$/.test(tool)) {
          const moduleIndex = args.findIndex((arg) => arg.literal === '-m');
          const moduleWord = moduleIndex === -1 ? undefined : args[moduleIndex + 1];
          if (!moduleWord?.literal) continue;
          if (moduleWord.literal !== 'pip') {
            const meant = didYouMean(moduleWord.literal, PYTHON_MODULES);
            // Modules are open-ended (any installed package): only a slip
            // of a known one (`jupyterlab` is not one of `jupyter`).
            if (meant && meant !== moduleWord.literal && isLikelySlip(moduleWord.literal, meant))
              findings.push(typo(script, moduleWord, 'python -m', meant, 'module'));
            continue;
          }
          tool = 'pip';
          args = args.slice(moduleIndex + 2);
        }
        const known = SUBCOMMANDS[tool];
        if (!known) continue;
        const subcommand = firstOperand(args, GLOBAL_OPTIONS_WITH_VALUE[tool] ?? []);
        if (!subcommand?.literal) continue;
        // `conda env create`, `git lfs install`: subcommands with subcommands of their own.
        const nested = SUBCOMMANDS[`${tool} ${subcommand.literal}`];
        const inner = nested ? firstOperand(args.slice(args.indexOf(subcommand) + 1), []) : undefined;
        if (nested && inner?.literal && !nested.includes(inner.literal)) {
          const meantInner = didYouMean(inner.literal, nested);
          if (meantInner)
            findings.push(typo(script, inner, `${effective.name} ${subcommand.literal}`, meantInner, 'subcommand'));
        }
        if (known.includes(subcommand.literal)) continue;
        const meant = didYouMean(subcommand.literal, known);
        if (meant)
          findings.push(
            typo(
              script,
              subcommand,
              tool === 'pip' && effective.name !== 'pip' && effective.name !== 'pip3'
                ? `${effective.name} -m pip`
                : effective.name,
              meant,
              'subcommand',
            ),
          );
      }
    }
    return findings;

    function typo(script: (typeof scripts)[number], word: Word, tool: string, meant: string, kind: string): Finding {
      return scriptFinding(script, word.position, {
        rule: 'subcommand-typo',
        severity: 'error',
        message: `'${word.literal}' is not a ${kind} of ${tool}`,
        suggestion: meant,
      });
    }
  },
};

function firstOperand(args: readonly Word[], optionsWithValue: readonly string[]): Word | undefined {
  for (let index = 0; index < args.length; index++) {
    const value = args[index]!.literal;
    if (value === undefined) return undefined;
    if (optionsWithValue.includes(value)) {
      index += 1;
      continue;
    }
    if (!value.startsWith('-')) return args[index];
  }
  return undefined;
}
