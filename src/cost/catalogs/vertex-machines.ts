import { closeNames, suggestName } from './catalog-names.js';
import { findGpu } from './gpus.js';
import { VERTEX_ACCELERATORS } from './vertex-accelerators.js';
import { VERTEX_GENERAL_MACHINE_TYPES } from './vertex-general-machine-types.js';
import { VERTEX_GPU_MACHINE_TYPES } from './vertex-gpu-machine-types.js';
import { VERTEX_MACHINE_FAMILIES } from './vertex-machine-families.js';
import type { VertexAccelerator, VertexMachineFamily, VertexMachineType } from './vertex-rows.js';

export type {
  VertexAccelerator,
  VertexAttachLimit,
  VertexBuiltInGpus,
  VertexMachineFamily,
  VertexMachineType,
} from './vertex-rows.js';
export { VERTEX_ACCELERATORS } from './vertex-accelerators.js';
export { VERTEX_MACHINE_FAMILIES } from './vertex-machine-families.js';

/** Every Vertex machine type in the catalog: general-purpose first, then accelerator-optimized. */
export const VERTEX_MACHINE_TYPES: readonly VertexMachineType[] = [
  ...VERTEX_GENERAL_MACHINE_TYPES,
  ...VERTEX_GPU_MACHINE_TYPES,
];

const MACHINE_BY_NAME: ReadonlyMap<string, VertexMachineType> = new Map(
  VERTEX_MACHINE_TYPES.map((type) => [type.name, type]),
);
const ACCELERATOR_BY_NAME: ReadonlyMap<string, VertexAccelerator> = new Map(
  VERTEX_ACCELERATORS.map((type) => [type.name, type]),
);
const MACHINE_NAMES: readonly string[] = VERTEX_MACHINE_TYPES.map((type) => type.name);
const ACCELERATOR_NAMES: readonly string[] = VERTEX_ACCELERATORS.map((type) => type.name);

/** The machine type with exactly this name ("n1-standard-4"), or undefined. */
export function findVertexMachineType(name: string): VertexMachineType | undefined {
  return MACHINE_BY_NAME.get(name);
}

/** The series row for a series name ("a2") or a machine type name ("a2-highgpu-1g"). */
export function findVertexMachineFamily(name: string): VertexMachineFamily | undefined {
  const family = name.split('-')[0];
  return VERTEX_MACHINE_FAMILIES.find((row) => row.name === family);
}

/** The one machine type a mistyped name most likely meant, or undefined when none or several are as close. */
export function suggestVertexMachineType(name: string): string | undefined {
  return suggestName(name, MACHINE_NAMES);
}

/** Machine types near a mistyped name, nearest first ("n1-standard-5" -> n1-standard-1, -2, -4). */
export function closeVertexMachineTypes(name: string, limit = 3): string[] {
  return closeNames(name, MACHINE_NAMES, limit);
}

/** The accelerator type with exactly this enum name ("NVIDIA_TESLA_T4"), or undefined. */
export function findVertexAccelerator(name: string): VertexAccelerator | undefined {
  return ACCELERATOR_BY_NAME.get(name);
}

/** The one accelerator type a mistyped name most likely meant ("NVIDIA_TESLA_T5" -> "NVIDIA_TESLA_T4"). */
export function suggestVertexAccelerator(name: string): string | undefined {
  return suggestName(name, ACCELERATOR_NAMES);
}

/** Accelerator types near a mistyped name, nearest first. */
export function closeVertexAccelerators(name: string, limit = 3): string[] {
  return closeNames(name, ACCELERATOR_NAMES, limit);
}

/**
 * The accelerator types that provide a GPU model a job asks for ("T4" -> NVIDIA_TESLA_T4), by any name findGpu knows.
 */
export function vertexAcceleratorsForGpu(model: string): VertexAccelerator[] {
  const gpu = findGpu(model);
  return gpu === undefined ? [] : VERTEX_ACCELERATORS.filter((accelerator) => accelerator.gpu_model === gpu.name);
}
