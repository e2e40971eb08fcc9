import type { Finding } from '../../base/finding.js';
import { runsHere, scriptFinding, type Rule, type ValidationContext } from '../rule.js';
import type { Word } from '../shell/script-model.js';
import { findingAt } from '../../base/finding.js';

/**
 * Paths that exist only on the user's own computer: macOS homes (/Users/...), Windows drives (C:\..., /mnt/c/...),
 * and this machine's own home folder. On a rented machine they do not exist; pointing at them is the most common
 * way a job that worked locally fails in the cloud. A job that only runs on this machine may use them.
 */
export const localPath: Rule = {
  id: 'local-path',
  summary: 'a path that exists only on your own computer (/Users/..., C:\\..., your home folder)',
  check(context) {
    if (context.targets.every((target) => runsHere(context, target))) return [];
    const findings: Finding[] = [];
    const patterns = laptopPatterns(context);
    for (const script of context.scripts) {
      for (const command of script.parsed.commands) {
        const words: Word[] = [
          ...command.words,
          ...command.redirects.flatMap((redirect) => (redirect.target ? [redirect.target] : [])),
          ...command.assignments.flatMap((assignment) => (assignment.value ? [assignment.value] : [])),
        ];
        for (const word of words) {
          const text = word.parts.map((part) => (part.kind === 'literal' ? part.text : '\0')).join('');
          // Backslashes are gone from an unquoted word's value (`\\server\share`, `c:\data`): those read as written.
          const match =
            patterns.find((pattern) => pattern.test(text)) ??
            (TEXT_TOOLS.has(command.words[0]?.literal ?? '')
              ? undefined
              : WRITTEN_PATTERNS.find((pattern) => pattern.test(word.raw)));
          if (!match) continue;
          findings.push(
            scriptFinding(script, word.position, {
              rule: 'local-path',
              severity: 'error',
              message: `'${word.raw}' is a path on this computer; ${where(context)} will not have it`,
              hint: 'put the file in the workdir and use a relative path, or have the job download it',
            }),
          );
        }
      }
    }
    for (const [name, value] of Object.entries(context.job.env ?? {})) {
      if ([...patterns, ...WRITTEN_PATTERNS].some((pattern) => pattern.test(value))) {
        findings.push(
          findingAt(context.job, `env.${name}`, {
            rule: 'local-path',
            severity: 'error',
            message: `env.${name} is a path on this computer ('${value}'); ${where(context)} will not have it`,
            hint: 'use a path in the workdir, relative to it',
          }),
        );
      }
    }
    return findings;
  },
};

function where(context: ValidationContext): string {
  const remote = context.targets.filter((target) => !runsHere(context, target));
  return context.portable ? 'a rented machine' : `the ${remote.join(' or ')} machine`;
}

/**
 * Windows paths as written: a network share (two backslashes, a server, a share) and a drive of either case then a
 * backslash, at the start of a word or of an option's value (`--data=c:\data`), so `sed 's:x:\n:'` and
 * `python -c "print('\\tname\\tsize')"` are none. Not looked for in what text tools are given either
 * (`printf '\\tname\\tsize'` is escapes, not a share).
 */
const TEXT_TOOLS = new Set(['echo', 'printf', 'sed', 'awk', 'grep', 'perl', 'tr', 'jq']);
const WRITTEN_PATTERNS: readonly RegExp[] = [
  /^([\w-]*=)?["']?\\\\{1,3}[A-Za-z0-9][\w.$-]*\\{1,2}[\w.$ -]+/,
  /^([\w-]*=)?["']?[A-Za-z]:\\{1,2}[A-Za-z_.$]/,
];

function laptopPatterns(context: ValidationContext): RegExp[] {
  // A drive is a capital letter (C:\ or C:/ then a name): `sed 's:\(x\):y:'` is not one.
  const patterns = [
    /(^|[=:,\s])\/Users\/[^/\s]+/,
    /(^|[=:,\s"'])[A-Z]:[\\/][\w.$ -]/,
    /(^|[=:,\s])\/mnt\/[a-z]\//,
    /(^|[=:,\s])\/Volumes\//,
    // Git Bash and Cygwin's names for Windows drives, and a file URL of one.
    /(^|[=:,\s])\/(cygdrive\/)?[a-z]\/Users\//,
    /(^|[=:,\s])\/cygdrive\/[a-z]\//,
    /file:\/\/\/([A-Za-z]:|Users\/)/,
  ];
  const home = context.machine.homeDirectory;
  // This machine's own home folder, unless it is root's or a system folder every machine has.
  if (home && home !== '/' && home !== '/root' && !home.startsWith('/tmp'))
    patterns.push(new RegExp(`(^|[=:,\\s])${escapeRegExp(home)}(/|$)`));
  return patterns;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
