import type { Sourced } from './catalog-row.js';

/** What a Vertex AI custom-training price is for: a machine type per node, or one accelerator. */
export type VertexPricedKind = 'machine' | 'accelerator';

/**
 * The on-demand hourly price of one machine type (per node, accelerators not included) or of one accelerator (per
 * GPU) for Vertex AI custom training in one region. Vertex charges a job's nodes for the machine type plus each
 * accelerator, by region (providers.md 2.6), at rates of its own, above Compute Engine's for the same machine.
 */
export interface VertexTrainingPrice extends Sourced<'usd_per_hour' | 'region'> {
  /** A Vertex AI region: "us-central1". */
  readonly region: string;
  readonly kind: VertexPricedKind;
  /** A name in VERTEX_MACHINE_TYPES (kind machine) or VERTEX_ACCELERATORS (kind accelerator). */
  readonly item: string;
  readonly usd_per_hour: number;
  /**
   * Set when the figure was read from a copy of the provider's page (a secondary source, [S] in providers.md), not
   * from the page itself: likely right, to be re-checked against the page.
   */
  readonly secondary?: true;
}

/** Machine types and accelerators of the Vertex catalog that have no price, and why. */
export interface VertexPriceAbsence extends Sourced {
  readonly items: readonly string[];
  /** Why no row prices them: what was looked for, and what was found instead. */
  readonly reason: string;
}

/** How Vertex AI bills a custom-training job's time, with where that comes from (or that nothing confirms it). */
export interface VertexTrainingBilling extends Sourced<'billing_increment_s' | 'minimum_billed_s'> {
  /** Seconds; 1 for per-second billing. */
  readonly billing_increment_s: number;
  readonly minimum_billed_s: number;
  /** What a replica is billed for, from which timestamps. */
  readonly billed_span: string;
}

/** Where the Vertex price data modules read their figures. */
export const VERTEX_PRICE_SOURCES = {
  /** Google's Vertex AI pricing page: custom training's machine and accelerator tables, by region. */
  pricingPage: 'https://cloud.google.com/vertex-ai/pricing',
  /** The same tables where Google moved them when Vertex AI became the Gemini Enterprise Agent Platform. */
  agentPlatformPricingPage: 'https://cloud.google.com/products/gemini-enterprise-agent-platform/pricing',
  /**
   * A copy of figures from the two pages above, each "found verbatim in the fetched page text" on 2026-10-07 by the
   * API Evangelist harvester (a third party): custom training n1-standard-4 $0.21849885/h and NVIDIA_H100_80GB
   * (training) $9.79655057/h.
   */
  apiEvangelistCopy:
    'https://raw.githubusercontent.com/api-evangelist/google-vertex-ai/refs/heads/main/plans/' +
    'google-vertex-ai-plans-pricing.yml',
  /** Google's Cloud Billing Catalog API: the SKU prices behind the page, for whoever can call it with a key. */
  billingCatalogApi: 'https://cloud.google.com/billing/v1/how-tos/catalog-api',
} as const;
