import type { Finding } from '../../base/finding.js';
import type { Rule } from '../rule.js';

/**
 * Script files saved with Windows line endings or a byte-order mark: bash reads the `\r` as part of every command
 * (`$'\r': command not found`, `python3\r: not found`) and the mark as part of the first word, so the script
 * fails on the machine after the whole start-up wait.
 */
export const lineEndings: Rule = {
  id: 'line-endings',
  summary: 'script files with Windows line endings or a byte-order mark',
  check({ scripts }) {
    const findings: Finding[] = [];
    for (const script of scripts.filter((candidate) => candidate.origin === 'file')) {
      if (script.text.startsWith('\uFEFF')) {
        findings.push({
          rule: 'line-endings',
          severity: 'error',
          file: script.file,
          line: 1,
          column: 1,
          message: 'the file starts with a byte-order mark, which bash reads as part of the first command',
          hint: 'save the file as UTF-8 without BOM',
        });
      }
      const crlf = script.text.indexOf('\r\n');
      if (crlf !== -1) {
        const line = script.text.slice(0, crlf).split('\n').length;
        const count = script.text.split('\r\n').length - 1;
        findings.push({
          rule: 'line-endings',
          severity: 'error',
          file: script.file,
          line,
          column: null,
          message:
            `the file has Windows line endings (${count} line${count === 1 ? '' : 's'} end in \\r\\n); ` +
            'bash will read the \\r as part of each command',
          hint: `convert it: sed -i 's/\\r$//' ${script.file} (and set git's core.autocrlf=input so it stays fixed)`,
        });
      }
    }
    return findings;
  },
};
