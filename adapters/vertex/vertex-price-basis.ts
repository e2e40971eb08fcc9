import type { PriceSnapshot } from '../../src/cost/price-snapshot.js';

/**
 * What a Vertex AI price snapshot was built from, stored with the job at launch (`PriceSnapshot.basis`), so its bill
 * charges each replica for the machine and its accelerators at the prices then in force, under the billing rule then
 * believed.
 */
export type VertexPriceBasis = {
  readonly region: string;
  readonly machine_type: string;
  /** One node's machine type, accelerators not included. */
  readonly machine_usd_per_hour: number;
  /** The accelerators on each node, priced per GPU, or null for a machine without GPUs. */
  readonly accelerators: {
    readonly type: string;
    readonly count: number;
    readonly usd_per_hour: number;
  } | null;
  /** Nodes of the job, each billed the same span (resources.nodes). */
  readonly replicas: number;
  readonly billing_increment_s: number;
  readonly minimum_billed_s: number;
  /** True while no source confirms the increment and minimum above. */
  readonly billing_unconfirmed: boolean;
};

/** The basis stored with a Vertex job's price, or undefined when it has none (it is then billed at its flat rate). */
export function vertexPriceBasisOf(price: PriceSnapshot): VertexPriceBasis | undefined {
  const stored = price.basis;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return undefined;
  const basis = stored as Partial<VertexPriceBasis>;
  return typeof basis.machine_type === 'string' && typeof basis.machine_usd_per_hour === 'number'
    ? (basis as VertexPriceBasis)
    : undefined;
}

/** One node's hourly price: the machine plus its accelerators. */
export function nodeUsdPerHour(basis: Pick<VertexPriceBasis, 'machine_usd_per_hour' | 'accelerators'>): number {
  const accelerators = basis.accelerators ? basis.accelerators.count * basis.accelerators.usd_per_hour : 0;
  return roundToCentMillionths(basis.machine_usd_per_hour + accelerators);
}

/** Rates keep eight decimals: Google's own precision ($0.21849885/h); fewer would change published figures. */
export function roundToCentMillionths(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}
