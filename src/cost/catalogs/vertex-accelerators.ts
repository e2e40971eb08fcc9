import { CATALOG_READ_ON } from './catalog-row.js';
import { VERTEX_SOURCES, type VertexAccelerator } from './vertex-rows.js';

const { machineSpec, acceleratorTypeReference, configureCompute, skypilotGcpCatalog, k80EndOfLife, gpuhunt } = VERTEX_SOURCES;
const attached = [machineSpec, configureCompute, skypilotGcpCatalog];
const builtIn = [machineSpec, configureCompute, skypilotGcpCatalog];

/** Vertex AI `acceleratorType` values for NVIDIA GPUs (TPUs are out of dlrun's scope). */
export const VERTEX_ACCELERATORS: readonly VertexAccelerator[] = [
  {
    name: 'NVIDIA_TESLA_K80', gpu_model: 'K80', machine_families: ['n1'], built_in: false, counts: [1, 2, 4, 8],
    attach_limits: [
      { count: 1, max_vcpus: 8, max_memory_gib: 52 }, { count: 2, max_vcpus: 16, max_memory_gib: 104 },
      { count: 4, max_vcpus: 32, max_memory_gib: 208 }, { count: 8, max_vcpus: 64, max_memory_gib: 208 },
    ],
    deprecated: 'Deprecated in the enum: the K80 reached end of support on Google Cloud.',
    source: [machineSpec, k80EndOfLife, skypilotGcpCatalog], as_of: CATALOG_READ_ON,
  },
  {
    name: 'NVIDIA_TESLA_P100', gpu_model: 'P100', machine_families: ['n1'], built_in: false, counts: [1, 2, 4],
    attach_limits: [
      { count: 1, max_vcpus: 16, max_memory_gib: 104 }, { count: 2, max_vcpus: 32, max_memory_gib: 208 },
      { count: 4, max_vcpus: 96, max_memory_gib: 624 },
    ],
    source: attached, as_of: CATALOG_READ_ON,
  },
  {
    name: 'NVIDIA_TESLA_V100', gpu_model: 'V100', machine_families: ['n1'], built_in: false, counts: [1, 2, 4, 8],
    attach_limits: [
      { count: 1, max_vcpus: 12, max_memory_gib: 78 }, { count: 2, max_vcpus: 24, max_memory_gib: 156 },
      { count: 4, max_vcpus: 48, max_memory_gib: 312 }, { count: 8, max_vcpus: 96, max_memory_gib: 624 },
    ],
    source: attached, as_of: CATALOG_READ_ON,
  },
  {
    name: 'NVIDIA_TESLA_P4', gpu_model: 'P4', machine_families: ['n1'], built_in: false, counts: [1, 2, 4],
    attach_limits: [
      { count: 1, max_vcpus: 24, max_memory_gib: 156 }, { count: 2, max_vcpus: 48, max_memory_gib: 312 },
      { count: 4, max_vcpus: 96, max_memory_gib: 624 },
    ],
    source: attached, as_of: CATALOG_READ_ON,
  },
  {
    name: 'NVIDIA_TESLA_T4', gpu_model: 'T4', machine_families: ['n1'], built_in: false, counts: [1, 2, 4],
    attach_limits: [
      { count: 1, max_vcpus: 48, max_memory_gib: 312 }, { count: 2, max_vcpus: 48, max_memory_gib: 312 },
      { count: 4, max_vcpus: 96, max_memory_gib: 624 },
    ],
    source: attached, as_of: CATALOG_READ_ON,
  },
  {
    name: 'NVIDIA_TESLA_A100', gpu_model: 'A100', machine_families: ['a2'], built_in: true, counts: [1, 2, 4, 8, 16],
    source: builtIn, as_of: CATALOG_READ_ON,
  },
  {
    name: 'NVIDIA_A100_80GB', gpu_model: 'A100-80GB', machine_families: ['a2'], built_in: true, counts: [1, 2, 4, 8],
    source: builtIn, as_of: CATALOG_READ_ON,
  },
  {
    name: 'NVIDIA_L4', gpu_model: 'L4', machine_families: ['g2'], built_in: true, counts: [1, 2, 4, 8],
    source: [...builtIn, gpuhunt], as_of: CATALOG_READ_ON,
  },
  {
    name: 'NVIDIA_H100_80GB', gpu_model: 'H100', machine_families: ['a3'], built_in: true, counts: [1, 2, 4, 8],
    source: builtIn, as_of: CATALOG_READ_ON,
  },
  {
    name: 'NVIDIA_H100_MEGA_80GB', gpu_model: 'H100', machine_families: ['a3'], built_in: true, counts: [8],
    source: builtIn, as_of: CATALOG_READ_ON,
    note: 'Only a3-megagpu-8g carries it.',
  },
  {
    name: 'NVIDIA_H200_141GB', gpu_model: 'H200', machine_families: ['a3'], built_in: true, counts: [8],
    source: [machineSpec, skypilotGcpCatalog], as_of: CATALOG_READ_ON,
    note: 'Only a3-ultragpu-8g carries it.',
  },
  {
    name: 'NVIDIA_B200', gpu_model: 'B200', machine_families: ['a4'], built_in: true, counts: [8],
    source: [machineSpec, skypilotGcpCatalog], as_of: CATALOG_READ_ON,
    note: 'Only a4-highgpu-8g carries it.',
  },
  {
    name: 'NVIDIA_GB200', gpu_model: 'GB200', machine_families: ['a4x'], built_in: true,
    source: [machineSpec, 'https://docs.cloud.google.com/vertex-ai/docs/training/training-clusters/compute-resources'], as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['counts'],
    note:
      'Google documents a4x-highgpu-4g (4 GPUs per node, ARM hosts) for Vertex AI training clusters; whether plain ' +
      'custom jobs accept it, and its vCPUs and memory, were not confirmed, so no a4x machine row exists.',
  },
  {
    name: 'NVIDIA_RTX_PRO_6000', gpu_model: 'RTX-PRO-6000', machine_families: ['g4'], built_in: true,
    source: [acceleratorTypeReference], as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['machine_families', 'counts'],
    note: 'The enum lists it; that it goes with g4 machines, and their sizes, come from no source read here.',
  },
];
