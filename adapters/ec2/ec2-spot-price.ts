import { DlrunError } from '../../src/base/errors.js';

/**
 * One row of EC2 DescribeSpotPriceHistory: the spot price of an instance type in one availability zone from
 * `timestamp` until the next row for the same type and zone. Rows are price changes, so the price is piecewise
 * constant. Pass the rows of one product description ("Linux/UNIX" or "Linux/UNIX (Amazon VPC)"), not both.
 */
export interface SpotPriceRow {
  readonly availability_zone: string;
  readonly instance_type: string;
  /** USD per hour (AWS sends it as a string; parse it before building the row). */
  readonly spot_price_usd: number;
  /** ISO 8601. */
  readonly timestamp: string;
}

/** One piece of a spot run priced at one price: what a bill can show when it explains a spot figure. */
interface SpotPricePiece {
  readonly from_ms: number;
  readonly to_ms: number;
  readonly usd_per_hour: number;
}

/**
 * The pieces of [fromMs, toMs) and the spot price in force over each, for one instance type in one zone: the
 * price at a moment is that of the latest row at or before it. Fails when no row is at or before `fromMs`,
 * because the price the run started at is then unknown (DescribeSpotPriceHistory must be asked from before
 * the start; it returns the row in force then).
 */
function spotPricePieces(
  rows: readonly SpotPriceRow[],
  instanceType: string,
  availabilityZone: string,
  fromMs: number,
  toMs: number,
): SpotPricePiece[] {
  if (toMs <= fromMs) return [];
  const changes = rows
    .filter((row) => row.instance_type === instanceType && row.availability_zone === availabilityZone)
    .map((row) => ({ at: Date.parse(row.timestamp), usd_per_hour: row.spot_price_usd }))
    .sort((first, second) => first.at - second.at);
  const firstIndex = lastIndexAtOrBefore(changes, fromMs);
  if (firstIndex < 0) {
    throw new DlrunError(
      `no spot price for ${instanceType} in ${availabilityZone} at or before ${new Date(fromMs).toISOString()}`,
      {
        audience: 'internal',
        hint:
          'ask DescribeSpotPriceHistory from before the instance started, ' +
          'so the price in force at the start is among the rows',
      },
    );
  }
  const pieces: SpotPricePiece[] = [];
  for (let index = firstIndex; index < changes.length; index += 1) {
    const change = changes[index]!;
    const from = Math.max(fromMs, change.at);
    if (from >= toMs) break;
    const to = Math.min(toMs, changes[index + 1]?.at ?? Infinity);
    if (to > from) pieces.push({ from_ms: from, to_ms: to, usd_per_hour: change.usd_per_hour });
  }
  return pieces;
}

/** USD for running one instance over [fromMs, toMs) at the spot prices of `rows`, unrounded. */
export function spotCostUsd(
  rows: readonly SpotPriceRow[],
  instanceType: string,
  availabilityZone: string,
  fromMs: number,
  toMs: number,
): number {
  return spotPricePieces(rows, instanceType, availabilityZone, fromMs, toMs).reduce(
    (sum, piece) => sum + ((piece.to_ms - piece.from_ms) / 3_600_000) * piece.usd_per_hour,
    0,
  );
}

function lastIndexAtOrBefore(changes: readonly { at: number }[], moment: number): number {
  let found = -1;
  for (let index = 0; index < changes.length && changes[index]!.at <= moment; index += 1) found = index;
  return found;
}
