import { CATALOG_READ_ON } from './catalog-row.js';
import { VERTEX_SOURCES, type VertexMachineFamily } from './vertex-rows.js';

const { configureCompute, skypilotGcpCatalog } = VERTEX_SOURCES;
/** Vertex Pipelines runs a step as a custom job on e2-standard-4 by default, which shows custom jobs take e2. */
const PIPELINES_MACHINE_TYPES = 'https://cloud.google.com/vertex-ai/docs/pipelines/machine-types';
/** Why sizes are not confirmed one by one: the configure-compute page's list of sizes could not be read. */
const SIZES_NOTE =
  'Which sizes of the series Vertex accepts was not read; the machine rows carry Compute Engine specs.';

/** The machine series in the Vertex catalog and their standing for custom training. */
export const VERTEX_MACHINE_FAMILIES: readonly VertexMachineFamily[] = [
  {
    name: 'n1',
    gpus: 'attached',
    accepted_for_training: true,
    source: [configureCompute],
    as_of: CATALOG_READ_ON,
    note: `T4, P4, V100 and P100 attach to n1 machines (providers.md 2.2, confirmed rule). ${SIZES_NOTE}`,
  },
  {
    name: 'n2',
    gpus: 'none',
    accepted_for_training: true,
    source: [
      configureCompute,
      'https://docs.cloud.google.com/vertex-ai/docs/training/training-clusters/compute-resources',
    ],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['accepted_for_training'],
    note:
      'Google documents the n2 series for Vertex training clusters; ' +
      `for plain custom jobs it was not confirmed. ${SIZES_NOTE}`,
  },
  {
    name: 'e2',
    gpus: 'none',
    accepted_for_training: true,
    source: [PIPELINES_MACHINE_TYPES],
    as_of: CATALOG_READ_ON,
    note: SIZES_NOTE,
  },
  {
    name: 'a2',
    gpus: 'built-in',
    accepted_for_training: true,
    source: [configureCompute, skypilotGcpCatalog],
    as_of: CATALOG_READ_ON,
    note: `A100 (40 GB on highgpu and megagpu, 80 GB on ultragpu) goes with a2 (providers.md 2.2). ${SIZES_NOTE}`,
  },
  {
    name: 'a3',
    gpus: 'built-in',
    accepted_for_training: true,
    source: [configureCompute, skypilotGcpCatalog],
    as_of: CATALOG_READ_ON,
    note: `H100 goes with a3 (providers.md 2.2); H200 is on a3-ultragpu-8g. ${SIZES_NOTE}`,
  },
  {
    name: 'a4',
    gpus: 'built-in',
    accepted_for_training: true,
    source: [
      skypilotGcpCatalog,
      'https://docs.cloud.google.com/vertex-ai/docs/training/training-clusters/compute-resources',
    ],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['accepted_for_training'],
    note:
      'a4-highgpu-8g (B200) is documented for Vertex training clusters; ' +
      'for plain custom jobs it was not confirmed.',
  },
  {
    name: 'g2',
    gpus: 'built-in',
    accepted_for_training: true,
    source: [configureCompute, skypilotGcpCatalog],
    as_of: CATALOG_READ_ON,
    note: `L4 goes with g2 (providers.md 2.2). ${SIZES_NOTE}`,
  },
];
