import path from 'node:path';
import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { runsHere, scriptFinding, type Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import type { SimpleCommand, Word } from '../shell/script-model.js';
import { isWorkCommand } from '../work-commands.js';

/** Options of training programs that name where results are written (`--output_dir`, `--save-dir`, `--ckpt_path`). */
const OUTPUT_OPTION =
  /^--?(output|out|save|checkpoints?|ckpt|results?|logging|export)[_-]?(dir|directory|folder|path|file|root)$/i;

/**
 * Results written where nothing collects them: dlrun brings back the outputs folder (DLRUN_OUTPUT_DIR) alone, and
 * the machine, its disk and everything else on it are gone when the job ends. A training program told to save under
 * /tmp, the home folder or a workdir folder other than outputs loses its checkpoints, unless the script copies or
 * uploads that folder afterwards (any later mention of it counts, so such a job stays silent). A warning: the job
 * runs, but you pay for results you never get.
 */
export const outputNotCollected: Rule = {
  id: 'output-not-collected',
  summary: 'results saved outside DLRUN_OUTPUT_DIR (/tmp, ~, a workdir folder), which nothing collects',
  check(context) {
    if (context.targets.every((target) => runsHere(context, target))) return [];
    const outputs = path.posix.normalize(context.job.outputs ?? 'outputs/').replace(/\/$/, '');
    if (outputs === '.' || outputs === '') return [];
    const findings: Finding[] = [];
    for (const script of context.scripts) {
      for (const command of script.parsed.commands) {
        if (!isWorkCommand(command)) continue;
        const args = effectiveCommand(command)?.args ?? [];
        for (const [index, arg] of args.entries()) {
          const option = /^(--?[\w-]+)(=(.*))?$/.exec(arg.literal ?? arg.raw.split('=')[0] ?? '');
          if (!option || !OUTPUT_OPTION.test(option[1]!)) continue;
          const value: Word | undefined = option[2] === undefined ? args[index + 1] : arg;
          const where = value && placeOf(value, option[2] !== undefined, outputs);
          if (!where || mentionedElsewhere(context.scripts, where.root, command)) continue;
          findings.push(
            scriptFinding(script, value!.position, {
              rule: 'output-not-collected',
              severity: 'warning',
              message:
                `${option[1]} writes to ${where.root}, ${where.why}: nothing collects it, ` +
                'and it is gone with the machine when the job ends',
              hint: `write under "$DLRUN_OUTPUT_DIR" (the workdir's ${outputs}/), which dlrun collects (dlrun pull)`,
            }),
          );
        }
      }
    }
    return findings;
  },
};

/** Where a path option's value points, when that is surely outside the outputs folder. */
function placeOf(word: Word, inline: boolean, outputs: string): { root: string; why: string } | undefined {
  // The value as written (after `--flag=` for an inline one); a variable in it may point anywhere, except $HOME.
  let text = '';
  for (const part of word.parts) {
    if (part.kind === 'literal') text += part.text;
    else if (part.kind === 'variable' && part.use.name === 'HOME' && part.use.operator === undefined) text += '~';
    else return undefined;
  }
  if (inline) text = text.slice(text.indexOf('=') + 1);
  if (text === '' || /^[\w+.-]+:\/\//.test(text) || text.startsWith('/gcs/') || text.startsWith('/dev/'))
    return undefined;
  if (text === '~' || text.startsWith('~/'))
    return { root: text.split('/').slice(0, 2).join('/'), why: 'in the home folder' };
  if (text.startsWith('/')) {
    const root = text.split('/').slice(0, 3).join('/');
    return { root, why: 'outside the workdir' };
  }
  const relative = path.posix.normalize(text).replace(/\/$/, '');
  if (relative === outputs || relative.startsWith(`${outputs}/`) || relative.startsWith('..') || relative === '.')
    return undefined;
  return { root: relative.split('/')[0]!, why: `a place in the workdir outside ${outputs}/` };
}

/** Another word of any script naming the same folder: a copy, an upload, an evaluation reading it back. */
function mentionedElsewhere(scripts: readonly ScriptInput[], root: string, writer: SimpleCommand): boolean {
  const bare = root.replace(/^~\/?/, '');
  return scripts.some((script) =>
    script.parsed.commands.some(
      (command) =>
        command !== writer &&
        [...command.words, ...command.redirects.flatMap((redirect) => (redirect.target ? [redirect.target] : []))].some(
          (word) => word.raw.includes(root) || (bare !== '' && word.raw.includes(bare)),
        ),
    ),
  );
}
