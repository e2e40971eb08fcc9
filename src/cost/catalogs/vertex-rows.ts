import type { Sourced } from './catalog-row.js';

/** The GPUs an accelerator-optimized machine type comes with (a2, a3, a4, g2). */
export interface VertexBuiltInGpus {
  /** A name in VERTEX_ACCELERATORS ("NVIDIA_TESLA_A100"). */
  readonly accelerator: string;
  readonly count: number;
}

/** One Compute Engine machine type as Vertex AI custom training names it in `machineSpec.machineType`. */
export interface VertexMachineType extends Sourced<'vcpus' | 'memory_gib' | 'built_in_gpus'> {
  readonly name: string;
  /** The series before the first '-' ("n1", "a2"). */
  readonly family: string;
  readonly vcpus: number;
  readonly memory_gib: number;
  /** Undefined for general-purpose machines, which take attached accelerators (n1) or none. */
  readonly built_in_gpus?: VertexBuiltInGpus;
}

/** The most vCPUs and memory an n1 machine may have with a given number of one attached GPU. */
export interface VertexAttachLimit {
  readonly count: number;
  readonly max_vcpus: number;
  readonly max_memory_gib: number;
}

/** One `machineSpec.acceleratorType` value. */
export interface VertexAccelerator extends Sourced<'gpu_model' | 'machine_families' | 'counts' | 'attach_limits'> {
  /** The enum value ("NVIDIA_TESLA_T4"). */
  readonly name: string;
  /** A model name from gpus.ts. */
  readonly gpu_model: string;
  /** The machine series it goes with: attached to n1, or built into a2/a3/a4/g2 machine types. */
  readonly machine_families: readonly string[];
  /** True when the GPUs come with the machine type, so `acceleratorCount` must match the type's built-in count. */
  readonly built_in: boolean;
  /** The accelerator counts one machine may carry, where a source gave them. */
  readonly counts?: readonly number[];
  /** For n1: the largest machine allowed with each count. */
  readonly attach_limits?: readonly VertexAttachLimit[];
  /** Set for types Vertex still accepts in the enum but Google no longer supports (K80). */
  readonly deprecated?: string;
}

/** Sources shared by the Vertex data modules. */
export const VERTEX_SOURCES = {
  /** A table generated from `gcloud compute machine-types list` (MEMORY_GB there is GiB). */
  machineTypesCsv:
    'https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/master/tools/machinetypes.csv',
  /** SkyPilot's GCP catalog: vCPUs, memory and GPUs per machine type. */
  skypilotVms: 'https://github.com/skypilot-org/skypilot-catalog/blob/master/catalogs/v7/gcp/vms.csv',
  /** SkyPilot's GCP rules: GPU counts per a2/a3/a4/g2 type, and n1 limits per attached GPU count. */
  skypilotGcpCatalog: 'https://github.com/skypilot-org/skypilot/blob/master/sky/catalog/gcp_catalog.py',
  /** The AcceleratorType enum. */
  machineSpec: 'https://cloud.google.com/vertex-ai/docs/reference/rest/v1/MachineSpec',
  acceleratorTypeReference:
    'https://docs.cloud.google.com/ruby/docs/reference/google-cloud-ai_platform-v1/latest/' +
    'Google-Cloud-AIPlatform-V1-AcceleratorType',
  /** Which GPU goes with which machine series for training (providers.md 2.2 marks the rule confirmed). */
  configureCompute: 'https://cloud.google.com/vertex-ai/docs/training/configure-compute',
  k80EndOfLife: 'https://cloud.google.com/compute/docs/eol/k80-eol',
  gpuhunt: 'https://github.com/dstackai/gpuhunt/blob/main/src/gpuhunt/providers/gcp.py',
} as const;

/** One machine in a series table: name, vCPUs, memory GiB, and built-in GPU count for accelerator series. */
export type VertexSize = readonly [name: string, vcpus: number, memory_gib: number, gpu_count?: number];

/** What every machine of one table shares. */
export interface VertexSeriesShared extends Sourced<'vcpus' | 'memory_gib' | 'built_in_gpus'> {
  readonly family: string;
  readonly accelerator?: string;
}

/** The rows of one series table, one line per machine type. */
export function seriesRows(shared: VertexSeriesShared, sizes: readonly VertexSize[]): VertexMachineType[] {
  const { family, accelerator, ...sourced } = shared;
  return sizes.map(([name, vcpus, memory_gib, gpu_count]) => ({
    name,
    family,
    vcpus,
    memory_gib,
    ...(accelerator === undefined ? {} : { built_in_gpus: { accelerator, count: gpu_count ?? 1 } }),
    ...sourced,
  }));
}

/** One machine series and how Vertex custom training uses it. */
export interface VertexMachineFamily extends Sourced<'accepted_for_training' | 'gpus'> {
  readonly name: string;
  /** How GPUs come: attached to a general-purpose machine (n1), built into the type (a2, a3, a4, g2), or not at all. */
  readonly gpus: 'attached' | 'built-in' | 'none';
  /** Whether Vertex custom training accepts the series' machine types as `machineSpec.machineType`. */
  readonly accepted_for_training: boolean;
}
