import { CATALOG_READ_ON } from './catalog-row.js';
import { seriesRows, VERTEX_SOURCES, type VertexMachineType } from './vertex-rows.js';

const { machineTypesCsv, skypilotVms, skypilotGcpCatalog } = VERTEX_SOURCES;
const read = { source: [machineTypesCsv, skypilotVms, skypilotGcpCatalog], as_of: CATALOG_READ_ON };

/**
 * Accelerator-optimized machine types: the GPUs come with the type, and the digit before "g" in the
 * name is their count (a2-highgpu-4g: four A100s), except g2, whose count does not follow from the name.
 */
export const VERTEX_GPU_MACHINE_TYPES: readonly VertexMachineType[] = [
  ...seriesRows({ family: 'a2', accelerator: 'NVIDIA_TESLA_A100', ...read }, [
    ['a2-highgpu-1g', 12, 85, 1],
    ['a2-highgpu-2g', 24, 170, 2],
    ['a2-highgpu-4g', 48, 340, 4],
    ['a2-highgpu-8g', 96, 680, 8],
    ['a2-megagpu-16g', 96, 1360, 16],
  ]),
  ...seriesRows({ family: 'a2', accelerator: 'NVIDIA_A100_80GB', ...read }, [
    ['a2-ultragpu-1g', 12, 170, 1],
    ['a2-ultragpu-2g', 24, 340, 2],
    ['a2-ultragpu-4g', 48, 680, 4],
    ['a2-ultragpu-8g', 96, 1360, 8],
  ]),
  ...seriesRows({ family: 'a3', accelerator: 'NVIDIA_H100_80GB', ...read }, [
    ['a3-highgpu-1g', 26, 234, 1],
    ['a3-highgpu-2g', 52, 468, 2],
    ['a3-highgpu-4g', 104, 936, 4],
    ['a3-highgpu-8g', 208, 1872, 8],
  ]),
  ...seriesRows({ family: 'a3', accelerator: 'NVIDIA_H100_MEGA_80GB', ...read }, [['a3-megagpu-8g', 208, 1872, 8]]),
  ...seriesRows({ family: 'a3', accelerator: 'NVIDIA_H200_141GB', ...read }, [['a3-ultragpu-8g', 224, 2952, 8]]),
  ...seriesRows({ family: 'a4', accelerator: 'NVIDIA_B200', ...read }, [['a4-highgpu-8g', 224, 3968, 8]]),
  ...seriesRows({ family: 'g2', accelerator: 'NVIDIA_L4', ...read }, [
    ['g2-standard-4', 4, 16, 1],
    ['g2-standard-8', 8, 32, 1],
    ['g2-standard-12', 12, 48, 1],
    ['g2-standard-16', 16, 64, 1],
    ['g2-standard-24', 24, 96, 2],
    ['g2-standard-32', 32, 128, 1],
    ['g2-standard-48', 48, 192, 4],
    ['g2-standard-96', 96, 384, 8],
  ]),
];
