import type { Finding } from '../../base/finding.js';
import { findingAt } from '../../base/finding.js';
import {
  CATALOG_READ_ON,
  findEc2InstanceType,
  findGpu,
  findRescaleCoreType,
  findVertexAccelerator,
  findVertexMachineType,
  suggestEc2InstanceType,
  suggestGpu,
  suggestRescaleCoreType,
  suggestVertexAccelerator,
  suggestVertexMachineType,
} from '../../cost/catalogs/index.js';
import type { Rule } from '../rule.js';

interface Named {
  readonly field: string;
  readonly value: string | undefined;
  readonly what: string;
  readonly known: (name: string) => boolean;
  readonly suggest: (name: string) => string | undefined;
}

/**
 * A GPU, instance type, machine type, accelerator or core type that is not in the catalogs: one close to a known
 * name is a typo (an error with the name meant); one far from all of them may be newer than the catalog (catalogs
 * age), so it is a warning.
 */
export const unknownMachineType: Rule = {
  id: 'unknown-machine-type',
  summary: 'a GPU, instance, machine, accelerator or core type that does not exist (did-you-mean from the catalogs)',
  check({ job, targets }) {
    const options = job.backends;
    // The catalog holds the GPUs the clouds rent out; a job only for this machine may name any GPU it has.
    const rentedGpu = targets.some((target) => target !== 'local') ? job.resources.gpu?.model : undefined;
    const names: Named[] = [
      {
        field: 'resources.gpu',
        value: rentedGpu,
        what: 'GPU',
        known: (name) => findGpu(name) !== undefined,
        suggest: suggestGpu,
      },
      {
        field: 'backends.ec2.instance_type',
        value: options?.ec2?.instance_type,
        what: 'EC2 instance type',
        known: (name) => findEc2InstanceType(name) !== undefined,
        suggest: suggestEc2InstanceType,
      },
      {
        field: 'backends.vertex.machine_type',
        value: options?.vertex?.machine_type,
        what: 'Vertex AI machine type',
        known: (name) => findVertexMachineType(name) !== undefined,
        suggest: suggestVertexMachineType,
      },
      {
        field: 'backends.vertex.accelerator_type',
        value: options?.vertex?.accelerator_type,
        what: 'Vertex AI accelerator type',
        known: (name) => findVertexAccelerator(name) !== undefined,
        suggest: suggestVertexAccelerator,
      },
      {
        field: 'backends.rescale.core_type',
        value: options?.rescale?.core_type,
        what: 'Rescale core type',
        known: (name) => findRescaleCoreType(name) !== undefined,
        suggest: suggestRescaleCoreType,
      },
    ];
    const findings: Finding[] = [];
    for (const { field, value, what, known, suggest } of names) {
      if (value === undefined || known(value)) continue;
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
              message: `'${value}' is not a ${what} dlrun knows (its catalog was read on ${CATALOG_READ_ON}); check the name`,
              hint: 'docs/catalogs.md says how to add a newer one',
            }),
      );
    }
    return findings;
  },
};
