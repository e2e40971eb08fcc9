import { CATALOG_READ_ON } from './catalog-row.js';
import { seriesRows, VERTEX_SOURCES, type VertexMachineType } from './vertex-rows.js';

const { machineTypesCsv, skypilotVms } = VERTEX_SOURCES;
const read = { source: [machineTypesCsv, skypilotVms], as_of: CATALOG_READ_ON };

/** General-purpose machine types: n1 (the series that takes attached T4/P4/V100/P100 GPUs), n2 and e2. */
export const VERTEX_GENERAL_MACHINE_TYPES: readonly VertexMachineType[] = [
  ...seriesRows({ family: 'n1', ...read }, [
    ['n1-standard-1', 1, 3.75], ['n1-standard-2', 2, 7.5], ['n1-standard-4', 4, 15], ['n1-standard-8', 8, 30],
    ['n1-standard-16', 16, 60], ['n1-standard-32', 32, 120], ['n1-standard-64', 64, 240], ['n1-standard-96', 96, 360],
    ['n1-highmem-2', 2, 13], ['n1-highmem-4', 4, 26], ['n1-highmem-8', 8, 52], ['n1-highmem-16', 16, 104],
    ['n1-highmem-32', 32, 208], ['n1-highmem-64', 64, 416], ['n1-highmem-96', 96, 624],
    ['n1-highcpu-2', 2, 1.8], ['n1-highcpu-4', 4, 3.6], ['n1-highcpu-8', 8, 7.2], ['n1-highcpu-16', 16, 14.4],
    ['n1-highcpu-32', 32, 28.8], ['n1-highcpu-64', 64, 57.6], ['n1-highcpu-96', 96, 86.4],
  ]),
  ...seriesRows({ family: 'n2', ...read }, [
    ['n2-standard-2', 2, 8], ['n2-standard-4', 4, 16], ['n2-standard-8', 8, 32], ['n2-standard-16', 16, 64],
    ['n2-standard-32', 32, 128], ['n2-standard-48', 48, 192], ['n2-standard-64', 64, 256], ['n2-standard-80', 80, 320],
    ['n2-standard-96', 96, 384], ['n2-standard-128', 128, 512],
    ['n2-highmem-2', 2, 16], ['n2-highmem-4', 4, 32], ['n2-highmem-8', 8, 64], ['n2-highmem-16', 16, 128],
    ['n2-highmem-32', 32, 256], ['n2-highmem-48', 48, 384], ['n2-highmem-64', 64, 512], ['n2-highmem-80', 80, 640],
    ['n2-highmem-96', 96, 768], ['n2-highmem-128', 128, 864],
    ['n2-highcpu-2', 2, 2], ['n2-highcpu-4', 4, 4], ['n2-highcpu-8', 8, 8], ['n2-highcpu-16', 16, 16],
    ['n2-highcpu-32', 32, 32], ['n2-highcpu-48', 48, 48], ['n2-highcpu-64', 64, 64], ['n2-highcpu-80', 80, 80],
    ['n2-highcpu-96', 96, 96],
  ]),
  ...seriesRows({ family: 'e2', ...read }, [
    ['e2-standard-2', 2, 8], ['e2-standard-4', 4, 16], ['e2-standard-8', 8, 32], ['e2-standard-16', 16, 64], ['e2-standard-32', 32, 128],
    ['e2-highmem-2', 2, 16], ['e2-highmem-4', 4, 32], ['e2-highmem-8', 8, 64], ['e2-highmem-16', 16, 128],
    ['e2-highcpu-2', 2, 2], ['e2-highcpu-4', 4, 4], ['e2-highcpu-8', 8, 8], ['e2-highcpu-16', 16, 16], ['e2-highcpu-32', 32, 32],
  ]),
];
