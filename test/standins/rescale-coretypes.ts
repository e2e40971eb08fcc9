/**
 * The core types the Rescale stand-in offers by default (`GET /api/v2/coretypes/`). The fields are those the API
 * gives [V] (code, name, price, lowPriorityPrice, cores, memory, storage, walltimeRequired, isDeprecated); the
 * figures are made up for tests, not Rescale's. [U] whether `price` is a number or a decimal string, and the names of
 * the GPU fields (gpuCount, gpuType here).
 */
import type { JsonObject } from './rescale-errors.js';

export interface RescaleCoreTypeOffer {
  readonly [key: string]: JsonObject[string];
  readonly code: string;
  readonly name: string;
  /** On-demand price, $ per core-hour. */
  readonly price: number;
  /** On-Demand Economy (isLowPriority) price, $ per core-hour. */
  readonly lowPriorityPrice: number;
  /** The cores per node a job may ask for (hardware.coresPerSlot). */
  readonly cores: number[];
  /** Memory per core, MB. */
  readonly memory: number;
  /** Local storage per node, GB ([U] the unit). */
  readonly storage: number;
  readonly isDeprecated: boolean;
  /** When true a job must give hardware.walltime. */
  readonly walltimeRequired: boolean;
  readonly gpuCount: number;
  readonly gpuType: string | null;
}

export const DEFAULT_CORE_TYPES: readonly RescaleCoreTypeOffer[] = [
  {
    code: 'emerald',
    name: 'Emerald',
    price: 0.1,
    lowPriorityPrice: 0.06,
    cores: [1, 2, 4, 8, 16, 36],
    memory: 4000,
    storage: 200,
    isDeprecated: false,
    walltimeRequired: false,
    gpuCount: 0,
    gpuType: null,
  },
  {
    code: 'onyx',
    name: 'Onyx',
    price: 0.08,
    lowPriorityPrice: 0.05,
    cores: [1, 2, 4, 8, 18, 36],
    memory: 1900,
    storage: 200,
    isDeprecated: false,
    walltimeRequired: false,
    gpuCount: 0,
    gpuType: null,
  },
  {
    code: 'jade',
    name: 'Jade (GPU)',
    price: 0.6,
    lowPriorityPrice: 0.35,
    cores: [8, 16, 32, 64],
    memory: 7500,
    storage: 1000,
    isDeprecated: false,
    walltimeRequired: true,
    gpuCount: 8,
    gpuType: 'NVIDIA A100 40GB',
  },
  {
    code: 'marble',
    name: 'Marble',
    price: 0.05,
    lowPriorityPrice: 0.03,
    cores: [1, 2, 4, 8],
    memory: 3750,
    storage: 32,
    isDeprecated: true,
    walltimeRequired: false,
    gpuCount: 0,
    gpuType: null,
  },
];
