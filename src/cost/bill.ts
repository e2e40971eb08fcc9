import type { Phase } from '../backend/job-state.js';

/** One line of a bill: `quantity` `unit`s at `unit_price_usd`. */
export interface LineItem {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unit_price_usd: number;
  readonly total_usd: number;
}

/**
 * A job's bill as `bill --json` prints it (JOB-SPEC.md section 3): dlrun's own figure from the published
 * billing rules and the prices in force at launch, beside the provider's own figure where it has one.
 */
export interface Bill {
  readonly job_id: string;
  readonly backend: string;
  readonly state: string;
  readonly phases: Readonly<Record<Phase, number>>;
  readonly billed_s: number;
  readonly rate_per_hour_usd: number;
  readonly total_usd: number;
  readonly quoted_usd: number | null;
  readonly price_source: string;
  readonly price_as_of: string;
  readonly line_items: readonly LineItem[];
  readonly provider_usd: number | null;
  readonly provider_source: string | null;
}
