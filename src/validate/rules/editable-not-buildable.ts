import path from 'node:path';
import type { Finding } from '../../base/finding.js';
import { installsOf, itemFinding } from '../python/job-pip.js';
import type { Rule } from '../rule.js';
import { normalise } from '../workdir-view.js';

/** What makes a folder a Python project pip can build (pip needs one of them; setup.cfg alone serves setuptools). */
const PROJECT_FILES = ['pyproject.toml', 'setup.py', 'setup.cfg'];

/**
 * `pip install -e .` (or `pip install ./pkg`) of a shipped folder that is no Python project: pip stops with "does not
 * appear to be a Python project". A project file that `.dlrunignore` leaves home is as missing on the machine.
 * Folders the job does not ship (a `git clone` makes them) are not judged.
 */
export const editableNotBuildable: Rule = {
  id: 'editable-not-buildable',
  summary: 'pip install -e . (or ./folder) of a folder with no pyproject.toml, setup.py or setup.cfg',
  check(context) {
    const findings: Finding[] = [];
    for (const install of installsOf(context)) {
      for (const item of install.items) {
        if (item.kind !== 'path' || item.directory === undefined || item.constraint) continue;
        const written = item.path!.replace(/\[[^\]]*\]$/, '').replace(/^file:/, '');
        if (/\.(whl|zip|gz|tgz|bz2|xz|tar)$/i.test(written) || written.startsWith('/') || written.includes('$'))
          continue;
        // pip reads a path in a requirements file from the folder it runs in; the file's own folder is checked too,
        // so that neither reading gives a false alarm.
        const candidates = [item.directory, item.fileFolder].flatMap((base) =>
          base === undefined ? [] : [normalise(path.posix.join(base, written))],
        );
        const folder = candidates[0];
        if (
          folder === undefined ||
          candidates.some((candidate) => candidate === undefined || !context.workdir.isFolder(candidate))
        )
          continue;
        const buildable = candidates.some((candidate) =>
          PROJECT_FILES.some((file) => context.workdir.state(path.posix.join(candidate!, file)) === 'shipped'),
        );
        if (buildable) continue;
        const states = PROJECT_FILES.map((file) => context.workdir.state(path.posix.join(folder, file)));
        const leftHome = PROJECT_FILES.filter((_, index) => states[index] === 'left-home');
        const shown = folder === '' ? 'the workdir' : `${folder}/`;
        findings.push(
          itemFinding(item, {
            rule: 'editable-not-buildable',
            severity: 'error',
            message: leftHome.length
              ? `${shown} has ${leftHome.join(', ')} here, but it is not ` +
                `shipped, so pip cannot build '${item.text}' on the machine`
              : `${shown} has no pyproject.toml, setup.py or setup.cfg, so pip cannot build '${item.text}'`,
            hint: leftHome.length
              ? `ship it (a !${leftHome[0]} line in .dlrunignore)`
              : "add a pyproject.toml, or install the folder's requirements with -r instead",
          }),
        );
      }
    }
    return findings;
  },
};
