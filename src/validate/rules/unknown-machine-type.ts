import type { Finding } from '../../base/finding.js';
import { findingAt } from '../../base/finding.js';
import { CATALOG_READ_ON, findGpu, suggestGpu } from '../../cost/catalogs/index.js';
import { BACKEND_NAMES } from '../../spec/backend-names.js';
import { runsHere, type MachineName, type Rule } from '../rule.js';

/**
 * A GPU, instance type, machine type, accelerator or core type that is not in the catalogs: one close to a known
 * name is a typo (an error with the name meant); one far from all of them may be newer than the catalog (catalogs
 * age), so it is a warning. Each backend gives the machine names of its block (its validation module's
 * `machineNames`).
 */
export const unknownMachineType: Rule = {
  id: 'unknown-machine-type',
  summary: 'a GPU, instance, machine, accelerator or core type that does not exist (did-you-mean from the catalogs)',
  check(context) {
    const { job, targets } = context;
    // The catalog holds the GPUs the clouds rent out; a job only for this machine may name any GPU it has.
    const rentedGpu = targets.some((target) => !runsHere(context, target)) ? job.resources.gpu?.model : undefined;
    // Every block the file has is checked, even one --backend leaves out: a typo there is a typo all the same.
    const names: MachineName[] = [
      {
        field: 'resources.gpu',
        value: rentedGpu,
        what: 'GPU',
        find: findGpu,
        suggest: suggestGpu,
      },
      ...BACKEND_NAMES.flatMap((name) => context.backends[name]?.machineNames?.(job) ?? []),
    ];
    const findings: Finding[] = [];
    for (const { field, value, what, find, suggest } of names) {
      if (value === undefined || find(value) !== undefined) continue;
      const meant = suggest(value);
      findings.push(
        meant
          ? findingAt(job, field, {
              rule: 'unknown-machine-type',
              severity: 'error',
              message: `'${value}' is not a ${what}`,
              suggestion: meant,
            })
          : findingAt(job, field, {
              rule: 'unknown-machine-type',
              severity: 'warning',
              message:
                `'${value}' is not a ${what} dlrun knows (its catalog was read on ${CATALOG_READ_ON}); ` +
                'check the name',
              hint: 'docs/catalogs.md says how to add a newer one',
            }),
      );
    }
    return findings;
  },
};
