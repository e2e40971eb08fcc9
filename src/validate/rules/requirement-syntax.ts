import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { installsOf, itemFinding } from '../python/job-pip.js';
import { scriptFinding, type Rule } from '../rule.js';

/**
 * A requirement pip refuses to read (PEP 508 and PEP 440, as pip's vendored `packaging` reads them): `torch=2.3.1`,
 * `numpy 1.26`, `torch>=2.0<3`, `~=2`. pip stops at the first such line and installs nothing. On a `pip install`
 * line, an unquoted `>`/`<` is also bash's redirect: `pip install torch>=2.0` installs any torch and writes the
 * output to a file named `=2.0`.
 */
export const requirementSyntax: Rule = {
  id: 'requirement-syntax',
  summary: 'a requirement pip cannot read (torch=2.3.1, numpy 1.26), or a version range bash reads as a redirect',
  check(context) {
    const findings: Finding[] = [];
    for (const install of installsOf(context)) {
      for (const item of install.items) {
        // pip expands ${VAR} in requirements files from the machine's environment: the result cannot be known here.
        if (!item.problem || item.text.includes('$')) continue;
        findings.push(
          itemFinding(item, {
            rule: 'requirement-syntax',
            severity: 'error',
            message: `pip cannot read the requirement '${item.text}': ${item.problem}`,
            hint: 'write it as NAME, NAME==VERSION or NAME>=LOW,<HIGH (PEP 508)',
          }),
        );
      }
      const effective = install.environmentFile === undefined ? effectiveCommand(install.command) : undefined;
      for (const redirect of install.command.redirects) {
        const target = redirect.target?.literal;
        if (!effective || !target || !/^[<>]$/.test(redirect.operator) || !/^=?\d+(?:\.\d+)*(?:\.\*)?,?$/.test(target))
          continue;
        findings.push(
          scriptFinding(install.script, redirect.position, {
            rule: 'requirement-syntax',
            severity: 'error',
            message:
              `'${redirect.operator}${target}' is not part of the requirement: bash reads it as a redirect ` +
              (redirect.operator === '>'
                ? `(pip's output goes to a file named '${target}', and any version is installed)`
                : `(from a file named '${target}', which does not exist)`),
            hint: `quote the requirement: pip install '...${redirect.operator}${target}'`,
          }),
        );
      }
    }
    return findings;
  },
};
