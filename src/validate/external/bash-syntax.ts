import type { Finding } from '../../base/finding.js';
import { scriptFinding } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import type { ToolCache } from './tool-cache.js';

/**
 * bash's own parse (`bash -n`) of the scripts dlrun's parser accepted: a second opinion, so that any syntax error
 * bash has and the parser misses is still reported (at the line bash names).
 */
export async function bashSyntax(scripts: readonly ScriptInput[], tools: ToolCache): Promise<Finding[]> {
  const checked = await Promise.all(
    scripts
      .filter((script) => !script.parsed.syntaxError)
      .map(async (script) => ({ script, result: await tools.run('bash', ['-n'], script.text.replace(/\r\n/g, '\n')) })),
  );
  const findings: Finding[] = [];
  for (const { script, result } of checked) {
    if (result.missing || result.code === 0) continue;
    const match = /line (\d+): (.*)/.exec(result.stderr);
    if (!match) continue;
    findings.push(
      scriptFinding(
        script,
        { line: Number(match[1]), column: 1 },
        { rule: 'shell-syntax', severity: 'error', message: `bash: ${match[2]!.trim()}` },
      ),
    );
  }
  return findings.map((finding) => ({ ...finding, column: null }));
}
