import type { Finding } from '../../base/finding.js';
import { wheelPythons } from '../catalogs/python-wheels.js';
import { imageSeverity, jobImages, onImage } from '../job-images.js';
import { installsOf, itemFinding } from '../python/job-pip.js';
import { pinnedVersion, releaseOf } from '../python/pep440.js';
import type { Rule } from '../rule.js';

/** A job that brings a Python of its own (conda, pyenv, uv, deadsnakes, python3.X) is not judged by the image's. */
const OWN_PYTHON =
  /\b(?:conda|mamba|micromamba|pyenv|deadsnakes|uv\s+venv|uv\s+python|virtualenv\s+-p|--python)\b|\bpython3\.\d+\b/;

/**
 * A framework pinned to a release with no wheel for the image's Python (torch==1.13.1 on Python 3.12,
 * tensorflow==2.15.0 on 3.12): there is no source distribution to fall back on, so pip ends with "No matching
 * distribution found" after the machine started.
 */
export const noWheelForPython: Rule = {
  id: 'no-wheel-for-python',
  summary: "a torch or tensorflow pin with no wheel for the image's Python version (numpy: a warning)",
  check(context) {
    const images = jobImages(context).filter(({ image }) => /^\d+\.\d+$/.test(image.facts.python ?? ''));
    if (images.length === 0) return [];
    if (context.scripts.some((script) => OWN_PYTHON.test(script.text))) return [];
    const findings: Finding[] = [];
    for (const install of installsOf(context)) {
      if (install.byPath) continue;
      for (const item of install.items) {
        const version = item.name && !item.marker && !item.constraint ? pinnedVersion(item.specifiers) : undefined;
        const line = (releaseOf(version ?? '') ?? []).slice(0, 2).join('.');
        const row = version ? wheelPythons(item.name!, line) : undefined;
        if (!row) continue;
        const outside = images.find(
          ({ image }) => !within(image.facts.python!, row.oldest, row.unjudged ?? row.newest),
        );
        if (!outside) continue;
        const python = outside.image.facts.python!;
        findings.push(
          itemFinding(item, {
            rule: 'no-wheel-for-python',
            severity: row.sdist ? 'warning' : imageSeverity(context),
            message:
              `${item.name} ${line} publishes wheels for Python ${row.oldest} to ${row.newest}, not for the ` +
              `Python ${python} ${onImage(outside.target, outside.image)}: ` +
              (row.sdist
                ? 'pip builds it from source, which needs a compiler and often fails for an old release'
                : 'pip finds no matching distribution'),
            hint:
              `pin a ${item.name} release that supports Python ${python}, or use an image with Python ` +
              `${row.newest}` +
              (row.unconfirmed ? ` (the table's ${item.name} rows are unconfirmed: ${row.source})` : ''),
          }),
        );
      }
    }
    return findings;
  },
};

function within(python: string, oldest: string, newest: string): boolean {
  const value = (text: string) => {
    const [major = 0, minor = 0] = text.split('.').map(Number);
    return major * 100 + minor;
  };
  return value(python) >= value(oldest) && value(python) <= value(newest);
}
