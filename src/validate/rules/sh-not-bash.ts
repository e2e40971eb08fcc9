import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { imageSeverity, jobImages, onImage } from '../job-images.js';
import type { Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';

/** Bash features dash (Debian's and Ubuntu's /bin/sh) refuses or reads otherwise, each as it shows in a line. */
const BASH_ONLY: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /(?:^|[\s;&|(!])\[\[\s/, what: '[[ ]] tests' },
  { pattern: /^\s*function\s+[A-Za-z_][\w-]*/, what: "the 'function' keyword" },
  { pattern: /^\s*(?:declare\s+-a\s+|local\s+|export\s+|readonly\s+)?[A-Za-z_]\w*\+?=\(/, what: 'arrays' },
  { pattern: /[<>]\(/, what: 'process substitution <( )' },
  { pattern: /\$\{[A-Za-z_]\w*(?::\d|:\s+-?\d|\/\/?|\^|,)/, what: '${var:offset}, ${var/a/b} or ${var^^} expansions' },
  { pattern: /&>/, what: "the '&>' redirect (dash runs the command in the background)" },
  { pattern: /^\s*\(\(/, what: '(( )) arithmetic commands' },
  { pattern: /(?:^|[\s;&|])\[\s[^\]]*\s==\s/, what: "'==' inside [ ]" },
];

/** Bash builtins dash does not have ("source: not found"), found as commands, not as text. */
const BASH_BUILTINS = new Set(['source', 'declare', 'typeset', 'shopt', 'pushd', 'popd', 'mapfile', 'readarray']);

/**
 * A script file run by `sh` (`sh train.sh`, or `./train.sh` with `#!/bin/sh`) that uses bash features, on an image
 * whose /bin/sh is dash (Debian, Ubuntu and the images built on them): the script fails, or does something else,
 * there. The job's inline setup and run are bash already.
 */
export const shNotBash: Rule = {
  id: 'sh-not-bash',
  summary: 'a script with bash features run by sh where /bin/sh is dash (sh train.sh, #!/bin/sh)',
  check(context) {
    const dash = jobImages(context).find(({ image }) => image.facts.binSh === 'dash');
    if (!dash) return [];
    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const call of context.calls) {
      const script = context.scripts.find((candidate) => candidate.calledBy?.path === call.path);
      if (!script || reported.has(script.file)) continue;
      const viaSh = call.how === 'shell' && effectiveCommand(call.command)?.name === 'sh';
      const shebang = /^(?:\uFEFF)?#!\s*(?:\/usr)?\/bin\/(?:env\s+)?sh\b/.test(script.text);
      if (!viaSh && !(call.how === 'executable' && shebang)) continue;
      const feature = firstBashFeature(script);
      if (!feature) continue;
      reported.add(script.file);
      findings.push({
        rule: 'sh-not-bash',
        severity: imageSeverity(context),
        file: script.file,
        line: feature.line,
        column: null,
        message:
          `${call.path} uses ${feature.what}, but ${viaSh ? "'sh' runs it" : 'its #!/bin/sh line runs it in sh'}, ` +
          `which is dash ${onImage(dash.target, dash.image)}`,
        hint: viaSh ? `run it with bash (bash ${call.path})` : 'make its first line #!/usr/bin/env bash',
      });
    }
    return findings;
  },
};

/** The first line using a bash-only feature, outside comments and heredoc bodies. */
function firstBashFeature(script: ScriptInput): { line: number; what: string } | undefined {
  const heredocLines = new Set<number>();
  for (const command of script.parsed.commands)
    for (const redirect of command.redirects) {
      const heredoc = redirect.heredoc;
      if (!heredoc) continue;
      const count = heredoc.body.split('\n').length;
      for (let line = heredoc.bodyStart.line; line < heredoc.bodyStart.line + count; line++) heredocLines.add(line);
    }
  const builtinLines = new Map<number, string>();
  for (const command of script.parsed.commands) {
    const name = effectiveCommand(command)?.name;
    if (name && BASH_BUILTINS.has(name) && !builtinLines.has(command.position.line))
      builtinLines.set(command.position.line, `the bash builtin '${name}'`);
  }
  const lines = script.text.split('\n');
  for (const [index, text] of lines.entries()) {
    const builtin = builtinLines.get(index + 1);
    if (builtin) return { line: index + 1, what: builtin };
    if (heredocLines.has(index + 1) || /^\s*#/.test(text)) continue;
    const found = BASH_ONLY.find(({ pattern }) => pattern.test(text));
    if (found) return { line: index + 1, what: found.what };
  }
  return undefined;
}
