import { CATALOG_READ_ON, type Sourced } from './catalog-row.js';
import { closeNames, suggestName } from './catalog-names.js';

/** The GPUs on one node of a Rescale core type. */
export interface RescaleGpus {
  /** A model name from gpus.ts, when a source named it. */
  readonly model?: string;
  readonly count_per_node?: number;
}

/**
 * One Rescale core type, the `hardware.coreType` code of a job. Rescale publishes its list only through the
 * authenticated `GET /api/v2/coretypes/` endpoint, so most figures here are unconfirmed or left undefined:
 * read that endpoint (fields `code`, `name`, `cores`, `memory`, GPU info) before trusting one.
 */
export interface RescaleCoreType extends Sourced<'name' | 'cores_per_node' | 'memory_mb_per_core' | 'gpus'> {
  /** The code the API takes ("emerald"). */
  readonly code: string;
  /** The display name ("Emerald"). */
  readonly name?: string;
  /** The cores-per-node choices (`cores[]` in the API). */
  readonly cores_per_node?: readonly number[];
  /** Memory per core in MB, as the API's `memory` field gives it. */
  readonly memory_mb_per_core?: number;
  readonly processor?: string;
  /** Undefined when no source said whether the type has GPUs. */
  readonly gpus?: RescaleGpus;
}

const CORETYPE_SETS =
  'https://rescale.com/documentation/main/rescale-advanced-features/intelligent-resource-automation/coretype-sets/';
const INTERLINK = 'https://github.com/rescale-labs/Rescale_Interlink';
/**
 * A 2016 mirror of Rescale's API docs (engineering.rescale.com/api-docs),
 * with a sample core type and a job's allowed codes.
 */
const API_DOCS_2016 =
  'https://github.com/MatthiasHertel/api-docs/blob/master/source/includes/_informational_endpoints.md';
const CODE_ONLY_2016 =
  'Only the code is known, from the allowed core types of a 2016 API docs sample; ' +
  'it may since have been retired or renamed.';

export const RESCALE_CORE_TYPES: readonly RescaleCoreType[] = [
  {
    code: 'emerald',
    name: 'Emerald',
    source: [CORETYPE_SETS, INTERLINK],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['cores_per_node', 'memory_mb_per_core', 'gpus'],
    note:
      "Named in Rescale's coretype-sets page and used in Rescale Interlink's tests; " +
      'its hardware is not stated in either.',
  },
  {
    code: 'ferrite',
    name: 'Ferrite',
    source: [CORETYPE_SETS],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['cores_per_node', 'memory_mb_per_core', 'gpus'],
    note: "Named in Rescale's coretype-sets page; its hardware is not stated there.",
  },
  {
    code: 'standard-plus',
    name: 'Marble',
    cores_per_node: [1, 2, 4, 8],
    memory_mb_per_core: 3750,
    processor: 'Intel Xeon E5-2670 v2',
    source: [API_DOCS_2016],
    as_of: CATALOG_READ_ON,
    unconfirmed: true,
    note: 'Figures from a 2016 sample response; the type may have changed or been retired since.',
  },
  {
    code: 'gpu-kepler',
    gpus: {},
    source: [API_DOCS_2016],
    as_of: CATALOG_READ_ON,
    unconfirmed: true,
    note: `${CODE_ONLY_2016} The code implies Kepler GPUs, but no source named the model or count.`,
  },
  {
    code: 'gpu-tesla',
    gpus: {},
    source: [API_DOCS_2016],
    as_of: CATALOG_READ_ON,
    unconfirmed: true,
    note: `${CODE_ONLY_2016} The code implies NVIDIA Tesla GPUs, but no source named the model or count.`,
  },
  { code: 'standard', source: [API_DOCS_2016], as_of: CATALOG_READ_ON, unconfirmed: true, note: CODE_ONLY_2016 },
  { code: 'hpc', source: [API_DOCS_2016], as_of: CATALOG_READ_ON, unconfirmed: true, note: CODE_ONLY_2016 },
  { code: 'hpc-plus', source: [API_DOCS_2016], as_of: CATALOG_READ_ON, unconfirmed: true, note: CODE_ONLY_2016 },
  { code: 'hpc-3', source: [API_DOCS_2016], as_of: CATALOG_READ_ON, unconfirmed: true, note: CODE_ONLY_2016 },
  { code: 'hi-mem', source: [API_DOCS_2016], as_of: CATALOG_READ_ON, unconfirmed: true, note: CODE_ONLY_2016 },
  { code: 'lo-mem', source: [API_DOCS_2016], as_of: CATALOG_READ_ON, unconfirmed: true, note: CODE_ONLY_2016 },
];

const BY_CODE: ReadonlyMap<string, RescaleCoreType> = new Map(RESCALE_CORE_TYPES.map((type) => [type.code, type]));
const CODES: readonly string[] = RESCALE_CORE_TYPES.map((type) => type.code);

/** The core type with exactly this code ("emerald"), or undefined. */
export function findRescaleCoreType(code: string): RescaleCoreType | undefined {
  return BY_CODE.get(code);
}

/** The one core type code a mistyped one most likely meant ("emrald" -> "emerald"), or undefined. */
export function suggestRescaleCoreType(code: string): string | undefined {
  return suggestName(code, CODES);
}

/** Core type codes near a mistyped one, nearest first. */
export function closeRescaleCoreTypes(code: string, limit = 3): string[] {
  return closeNames(code, CODES, limit);
}
