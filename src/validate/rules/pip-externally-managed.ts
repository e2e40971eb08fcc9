import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { imageSeverity, jobImages, onImage } from '../job-images.js';
import { installsOf } from '../python/job-pip.js';
import { scriptFinding, type Rule } from '../rule.js';

/** Ways a job leaves the system Python (a venv, conda, pipx) or lifts the marker, anywhere in its scripts. */
const OWN_ENVIRONMENT = new RegExp(
  [
    '-m\\s+venv\\b',
    '\\bvirtualenv\\b',
    '\\buv\\s+venv\\b',
    '/bin/activate\\b',
    '\\b(?:conda|mamba|micromamba|pyenv|miniconda\\w*|miniforge\\w*|Miniconda\\w*|Miniforge\\w*)\\b',
    '\\buv\\s+python\\b',
    '\\bVIRTUAL_ENV\\b',
    'PIP_BREAK_SYSTEM_PACKAGES',
    'EXTERNALLY-MANAGED',
    'break-system-packages',
  ].join('|'),
);

/**
 * `pip install` into a system Python its distribution marks as externally managed (PEP 668: Debian 12, Ubuntu 24.04
 * and images of them): pip refuses with "error: externally-managed-environment" and installs nothing. `--user`
 * does not help; a venv, `--break-system-packages`, or `--target`/`--prefix`/`--root` do.
 */
export const pipExternallyManaged: Rule = {
  id: 'pip-externally-managed',
  summary: 'pip install into a system Python that refuses it (PEP 668: Ubuntu 24.04, Debian 12) outside a venv',
  check(context) {
    const marked = jobImages(context).find(({ image }) => image.facts.externallyManaged === true);
    if (!marked) return [];
    if (Object.keys(context.job.env ?? {}).includes('PIP_BREAK_SYSTEM_PACKAGES')) return [];
    if (context.scripts.some((script) => OWN_ENVIRONMENT.test(script.text))) return [];
    if (context.workdir.state('pip.conf') === 'shipped') return [];
    const findings: Finding[] = [];
    for (const install of installsOf(context)) {
      if (install.byPath || install.command.nested) continue;
      const effective = effectiveCommand(install.command);
      if (!effective || effective.name === 'uv') continue;
      const flags = [...install.flags];
      if (flags.some((flag) => ['-t', '--target', '--prefix', '--root', '--break-system-packages'].includes(flag)))
        continue;
      findings.push(
        scriptFinding(install.script, effective.nameWord.position, {
          rule: 'pip-externally-managed',
          severity: imageSeverity(context),
          message:
            `pip refuses to install into the system Python ${onImage(marked.target, marked.image)}: ` +
            `it is externally managed (PEP 668)${flags.includes('--user') ? ', and --user does not change that' : ''}`,
          hint: 'create a venv in setup (python3 -m venv .venv && . .venv/bin/activate) and activate it in run too',
        }),
      );
    }
    return findings;
  },
};
