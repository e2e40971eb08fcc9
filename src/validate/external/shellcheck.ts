import type { Finding, Severity } from '../../base/finding.js';
import { scriptFinding } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import type { ToolCache } from './tool-cache.js';

/**
 * shellcheck's findings that mean a job will misbehave, with the codes that flag correct job scripts left out:
 * SC2154/SC2153 (variables set by the environment, which dlrun checks itself with the job's env:), SC1090/SC1091
 * (sourced files it cannot follow), SC2034 (assigned and unused: often exported to the training code), SC2164 (cd
 * without `|| exit`: jobs run with `-e`), SC1017/SC1082 (carriage returns, a byte-order mark: the line-endings rule
 * reports them), SC2188 (`> file` alone, the usual way to empty a file), and style and info levels.
 */
const EXCLUDED = [
  'SC2154',
  'SC2153',
  'SC1090',
  'SC1091',
  'SC2034',
  'SC2164',
  'SC2086',
  'SC2046',
  'SC2155',
  'SC1017',
  'SC1082',
  'SC2188',
];
/**
 * shellcheck's "error" level includes code that works (iterating over `$(ls)`, unquoted array expansions), and an
 * error refuses a launch; so its findings are warnings, but for the codes that fail every time bash reaches them.
 */
const FATAL_CODES = new Set([2168]); // 'local' outside a function: bash stops with "can only be used in a function"
const LEVELS: Readonly<Record<string, Severity>> = { error: 'warning', warning: 'warning' };

interface ShellcheckComment {
  readonly line: number;
  readonly column: number;
  readonly level: string;
  readonly code: number;
  readonly message: string;
}

/** undefined when shellcheck is not installed (the checks of dlrun's own rules do not depend on it). */
export async function shellcheck(scripts: readonly ScriptInput[], tools: ToolCache): Promise<Finding[] | undefined> {
  const results = await Promise.all(
    scripts
      .filter((script) => !script.parsed.syntaxError)
      .map(async (script) => ({
        script,
        result: await tools.run(
          'shellcheck',
          ['-s', 'bash', '-f', 'json1', '-S', 'warning', '-e', EXCLUDED.join(','), '-'],
          script.text.replace(/\r\n/g, '\n'),
        ),
      })),
  );
  if (results.some(({ result }) => result.missing)) return undefined;
  const findings: Finding[] = [];
  for (const { script, result } of results) {
    let comments: ShellcheckComment[];
    try {
      comments = (JSON.parse(result.stdout) as { comments: ShellcheckComment[] }).comments;
    } catch {
      continue;
    }
    for (const comment of comments) {
      const severity = FATAL_CODES.has(comment.code) ? 'error' : LEVELS[comment.level];
      if (!severity) continue;
      findings.push(
        scriptFinding(
          script,
          { line: comment.line, column: comment.column },
          {
            rule: `shellcheck/SC${comment.code}`,
            severity,
            message: comment.message,
            hint: `https://www.shellcheck.net/wiki/SC${comment.code}`,
          },
        ),
      );
    }
  }
  return findings;
}
