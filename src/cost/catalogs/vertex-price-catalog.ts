import type { VertexPriceAbsence, VertexPricedKind, VertexTrainingPrice } from './vertex-price-row.js';
import { VERTEX_PRICE_ABSENCES, VERTEX_TRAINING_PRICES } from './vertex-prices.js';

export type {
  VertexPriceAbsence,
  VertexPricedKind,
  VertexTrainingBilling,
  VertexTrainingPrice,
} from './vertex-price-row.js';
export { VERTEX_PRICE_SOURCES } from './vertex-price-row.js';
export {
  VERTEX_PRICE_ABSENCES,
  VERTEX_PRICES_READ_ON,
  VERTEX_TRAINING_BILLING,
  VERTEX_TRAINING_PRICES,
} from './vertex-prices.js';

const key = (region: string, kind: VertexPricedKind, item: string): string => `${region} ${kind} ${item}`;
const PRICES: ReadonlyMap<string, VertexTrainingPrice> = new Map(
  VERTEX_TRAINING_PRICES.map((row) => [key(row.region, row.kind, row.item), row]),
);

/** The custom-training price of a machine type (per node) in a region, or undefined when the catalog has none. */
export function findVertexMachinePrice(region: string, machineType: string): VertexTrainingPrice | undefined {
  return PRICES.get(key(region, 'machine', machineType));
}

/** The custom-training price of one accelerator in a region, or undefined when the catalog has none. */
export function findVertexAcceleratorPrice(region: string, accelerator: string): VertexTrainingPrice | undefined {
  return PRICES.get(key(region, 'accelerator', accelerator));
}

/** The regions the catalog has any Vertex price for, for messages that say where dlrun can price a job. */
export function vertexPricedRegions(): string[] {
  return [...new Set(VERTEX_TRAINING_PRICES.map((row) => row.region))].sort();
}

/** Why a machine type or accelerator has no price in any region, or undefined when some row prices it. */
export function vertexPriceAbsence(item: string): VertexPriceAbsence | undefined {
  return VERTEX_PRICE_ABSENCES.find((absence) => absence.items.includes(item));
}
