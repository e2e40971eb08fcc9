import type { Finding } from '../../base/finding.js';
import { scriptFinding, type Rule } from '../rule.js';

/**
 * `[` is a command and `]` its last argument: `[ -f x]`, `[-f x ]` and `[[ -n $a]]` fail with "missing ]" or
 * "command not found", which `bash -n` does not notice.
 */
export const testBrackets: Rule = {
  id: 'test-brackets',
  summary: "a '[' or '[[' test without spaces around its brackets",
  check({ scripts }) {
    const findings: Finding[] = [];
    for (const script of scripts) {
      for (const command of script.parsed.commands) {
        const first = command.words[0];
        const last = command.words.at(-1);
        if (!first || !last) continue;
        const name = first.raw;
        if (/^\[\[?[^[\s]/.test(name) && !/^\[\[?$/.test(name)) {
          findings.push(
            scriptFinding(script, first.position, {
              rule: 'test-brackets',
              severity: 'error',
              message: `'${name}' needs a space after '${name.startsWith('[[') ? '[[' : '['}'`,
              suggestion: name.replace(/^(\[\[?)/, '$1 '),
            }),
          );
          continue;
        }
        if (name !== '[' && name !== '[[') continue;
        const closer = name === '[' ? ']' : ']]';
        if (last.raw === closer) continue;
        const glued = last.raw.endsWith(closer);
        findings.push(
          scriptFinding(script, last.position, {
            rule: 'test-brackets',
            severity: 'error',
            message: glued
              ? `'${last.raw}' needs a space before '${closer}'`
              : `this '${name}' test has no closing '${closer}'`,
            ...(glued ? { suggestion: `${last.raw.slice(0, -closer.length)} ${closer}` } : {}),
          }),
        );
      }
    }
    return findings;
  },
};
