import type { Finding } from '../../base/finding.js';
import { installsOf, itemFinding } from '../python/job-pip.js';
import { runsHere, type Rule } from '../rule.js';

/**
 * Where files of someone's computer and of conda's build machines live. `pip freeze` in a conda environment writes
 * `numpy @ file:///home/conda/feedstock_root/...` or `file:///croot/...`: paths that exist on no other machine.
 */
const FOREIGN = [
  /^\/Users\//,
  /^\/home\//,
  /^\/private\//,
  /^\/var\/folders\//,
  /^\/Volumes\//,
  /^\/mnt\/[a-z]\//,
  /^\/tmp\/build\//,
  /^\/croot\//,
  /^\/opt\/conda\/conda-bld\//,
  /^\/?[A-Za-z]:[\\/]/,
  /^\\\\/,
];

/**
 * A requirement in a requirements file that is a file on someone's computer (a `file://` URL or an absolute path
 * from a laptop or a conda build machine): pip cannot find it on the machine. Paths in the scripts themselves are
 * local-path's.
 */
export const requirementLocalFile: Rule = {
  id: 'requirement-local-file',
  summary: 'a requirements file naming a file on someone\'s computer (pip freeze\'s "@ file:///...")',
  check(context) {
    if (context.targets.every((target) => runsHere(context, target))) return [];
    const findings: Finding[] = [];
    for (const install of installsOf(context)) {
      for (const item of install.items) {
        if (item.file === install.script.file) continue;
        const location = item.url ?? item.path;
        if (!location) continue;
        const local = location.replace(/^file:(?:\/\/(?:localhost)?)?/i, '');
        if (!FOREIGN.some((pattern) => pattern.test(local)) || (!location.startsWith('file:') && item.kind === 'url'))
          continue;
        findings.push(
          itemFinding(item, {
            rule: 'requirement-local-file',
            severity: 'error',
            message:
              `'${item.text}' names ${local}, a file on the computer ` +
              `that wrote this list; the machine does not have it`,
            hint: item.name
              ? `pin the released version instead (${item.name}==VERSION), or ` +
                `ship the file in the workdir and name it by a relative path`
              : 'ship the file in the workdir and name it by a relative path',
          }),
        );
      }
    }
    return findings;
  },
};
