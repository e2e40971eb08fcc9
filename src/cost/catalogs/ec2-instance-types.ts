import { closeNames, suggestName } from './catalog-names.js';
import { EC2_CPU_INSTANCE_TYPES } from './ec2-cpu-instance-types.js';
import { EC2_FAMILIES } from './ec2-families.js';
import { EC2_GPU_INSTANCE_TYPES } from './ec2-gpu-instance-types.js';
import type { Ec2Family, Ec2InstanceType } from './ec2-instance-type-row.js';

export type { Ec2Family, Ec2Gpus, Ec2InstanceType } from './ec2-instance-type-row.js';
export { EC2_FAMILIES } from './ec2-families.js';

/** Every EC2 instance type in the catalog: GPU families first, then CPU families. */
export const EC2_INSTANCE_TYPES: readonly Ec2InstanceType[] = [...EC2_GPU_INSTANCE_TYPES, ...EC2_CPU_INSTANCE_TYPES];

const BY_NAME: ReadonlyMap<string, Ec2InstanceType> = new Map(EC2_INSTANCE_TYPES.map((type) => [type.name, type]));
const FAMILY_BY_NAME: ReadonlyMap<string, Ec2Family> = new Map(EC2_FAMILIES.map((family) => [family.name, family]));
const NAMES: readonly string[] = EC2_INSTANCE_TYPES.map((type) => type.name);

/** The instance type with exactly this name (EC2 names are lower case: "g4dn.xlarge"), or undefined. */
export function findEc2InstanceType(name: string): Ec2InstanceType | undefined {
  return BY_NAME.get(name);
}

/** The family row for a family name ("g4dn") or an instance type name ("g4dn.xlarge"). */
export function findEc2Family(name: string): Ec2Family | undefined {
  return FAMILY_BY_NAME.get(name.split('.')[0]!);
}

/** The one instance type a mistyped name most likely meant ("g4dn.xlarg" -> "g4dn.xlarge"), or undefined. */
export function suggestEc2InstanceType(name: string): string | undefined {
  return suggestName(name, NAMES);
}

/** Instance types near a mistyped name, nearest first. */
export function closeEc2InstanceTypes(name: string, limit = 3): string[] {
  return closeNames(name, NAMES, limit);
}
