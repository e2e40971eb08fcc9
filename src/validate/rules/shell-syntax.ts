import type { Rule } from '../rule.js';
import { scriptFinding } from '../rule.js';

/**
 * Syntax errors of every kind bash has, reported where the construct was opened (the `if` without `fi`, the quote
 * never closed, the `$(` never closed, the heredoc whose end line never comes); `bash -n` alone points at the end of
 * the file, and lets an unclosed heredoc pass.
 */
export const shellSyntax: Rule = {
  id: 'shell-syntax',
  summary: 'bash syntax errors, at the construct that was opened and never closed',
  check({ scripts }) {
    return scripts.flatMap((script) => {
      const error = script.parsed.syntaxError;
      if (!error) return [];
      return [
        scriptFinding(script, error.position, {
          rule: 'shell-syntax',
          severity: 'error',
          message: error.message,
          ...(error.hint ? { hint: error.hint } : {}),
        }),
      ];
    });
  },
};
