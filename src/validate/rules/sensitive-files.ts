import path from 'node:path';
import type { Finding } from '../../base/finding.js';
import { findingAt } from '../../base/finding.js';
import { reincludeRule } from '../../util/sensitive-files.js';
import type { Rule } from '../rule.js';

/** Past this many, the files kept home are summed up in one finding. */
const MAX_LISTED = 10;

/**
 * Files with secrets in the workdir (`.env`, private keys, cloud credentials: src/util/sensitive-files.ts). Those dlrun
 * keeps home are info: nothing is wrong, dlrun did the safe thing, but the user should know the machine will not have
 * them (a job that reads one fails; missing-input says so where it reads it). Placed on the `workdir:` line, never on
 * the file itself, so that no secret is printed as the finding's source line. One that `.dlrunignore` re-includes
 * is a warning at that `!` line: it ends up readable on the machine, in its disk and in the staged archive.
 */
export const sensitiveFiles: Rule = {
  id: 'sensitive-files',
  summary: 'secrets in the workdir: kept home (info), or shipped because .dlrunignore re-includes them (warning)',
  check({ job, workdir }) {
    const findings: Finding[] = [];
    const { keptHome, reincluded } = workdir.manifest;
    for (const kept of keptHome.slice(0, MAX_LISTED)) {
      findings.push(
        findingAt(job, 'workdir', {
          rule: 'sensitive-files',
          severity: 'info',
          message: `${kept.path} stays home: it holds ${kept.why}, and dlrun does not ship those`,
          hint:
            `to ship it all the same, add the line ${reincludeRule(kept)} to .dlrunignore; ` +
            'values a job needs belong under secrets:',
        }),
      );
    }
    if (keptHome.length > MAX_LISTED) {
      findings.push(
        findingAt(job, 'workdir', {
          rule: 'sensitive-files',
          severity: 'info',
          message: `and ${keptHome.length - MAX_LISTED} more files with secrets stay home: ${keptHome
            .slice(MAX_LISTED, MAX_LISTED + 5)
            .map((kept) => kept.path)
            .join(', ')}${keptHome.length > MAX_LISTED + 5 ? ', ...' : ''}`,
        }),
      );
    }
    const ignoreFile = path.relative(job.source.dir, path.join(workdir.root, '.dlrunignore'));
    for (const shipped of reincluded) {
      findings.push({
        rule: 'sensitive-files',
        severity: 'warning',
        file: ignoreFile,
        line: shipped.line,
        column: 1,
        message:
          `'${shipped.rule}' ships ${shipped.path}, which holds ${shipped.why}: ` +
          'it will be readable on the machine, on its disk and in the staged workdir',
        hint:
          'list the values a job needs under secrets: (read from your shell at submit, never stored) ' +
          'and remove this line',
      });
    }
    return findings;
  },
};
