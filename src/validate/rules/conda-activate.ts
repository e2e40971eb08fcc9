import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { SimpleCommand } from '../shell/script-model.js';

const LOADS_SHELL_HOOK =
  /conda(\.exe)?\s+shell\.(bash|posix|zsh)\s+hook|conda\.sh|mamba\s+shell\s+hook|micromamba\s+shell\s+hook/;

/**
 * `conda activate` in a non-interactive shell fails ("CondaError: Run 'conda init' before 'conda activate'")
 * unless the shell hook was loaded first: `eval "$(conda shell.bash hook)"`, or sourcing conda.sh. `conda init`
 * alone does not help a script: it edits ~/.bashrc, which a non-interactive shell does not read. A hook loaded in
 * setup does not reach run: each runs in a shell of its own.
 */
export const condaActivate: Rule = {
  id: 'conda-activate',
  summary: "'conda activate' without the shell hook, which fails in a non-interactive shell",
  check({ scripts }) {
    const findings: Finding[] = [];
    // The hook holds in the shell that loaded it: setup and run are separate shells, and so is a script run with
    // bash; only a sourced file shares its caller's shell (and the hook as it stood where it was sourced).
    const hookedAt = new Map<SimpleCommand, boolean>();
    for (const script of scripts) {
      const call = script.calledBy;
      let hooked = call?.how === 'source' ? (hookedAt.get(call.command) ?? false) : false;
      for (const command of script.parsed.commands) {
        const raw = command.words.map((word) => word.raw).join(' ');
        if (LOADS_SHELL_HOOK.test(raw)) hooked = true;
        for (const word of command.words) {
          for (const part of word.parts)
            if (
              part.kind === 'substitution' &&
              part.commands.some((inner) => /conda\s+shell\.\w+\s+hook/.test(inner.words.map((w) => w.raw).join(' ')))
            )
              hooked = true;
        }
        const effective = effectiveCommand(command);
        if (effective?.name === 'source' || effective?.name === '.') {
          if (/activate$|conda\.sh$|\.bashrc$/.test(effective.args[0]?.literal ?? '')) hooked = true;
        }
        if (
          !hooked &&
          (effective?.name === 'conda' || effective?.name === 'mamba') &&
          effective.args[0]?.literal === 'activate'
        ) {
          findings.push(
            scriptFinding(script, effective.nameWord.position, {
              rule: 'conda-activate',
              severity: 'error',
              message:
                `'${effective.name} activate' fails in a job's non-interactive shell ` +
                "until conda's shell hook is loaded",
              hint:
                `put eval "$(${effective.name} shell.bash hook)" before it, ` +
                `or run commands in the environment with '${effective.name} run -n ENV ...'`,
            }),
          );
        }
        hookedAt.set(command, hooked);
      }
    }
    return findings;
  },
};
