import { findVertexAccelerator, findVertexMachineType } from '../../src/cost/catalogs/vertex-machines.js';
import {
  findVertexAcceleratorPrice,
  findVertexMachinePrice,
  VERTEX_TRAINING_PRICES,
  type VertexTrainingPrice,
} from '../../src/cost/catalogs/vertex-price-catalog.js';
import type { RefreshedPrices } from '../../src/cost/price-refresh.js';
import type { JsonValue } from '../../src/cost/price-snapshot.js';

/**
 * The Vertex AI prices a quote reads: the rows of the newest price snapshot (`dlrun prices refresh`, from the Cloud
 * Billing Catalog API) where it has one, else the repository's catalog. Offline: no SDK.
 */
export interface VertexPriceBook {
  machine(region: string, machineType: string): VertexTrainingPrice | undefined;
  accelerator(region: string, accelerator: string): VertexTrainingPrice | undefined;
  pricedRegions(): string[];
  /** Every row priced in a region (items of the snapshot, then the repository's). */
  itemsIn(region: string): string[];
  fromSnapshot(row: object): boolean;
  readonly snapshot: RefreshedPrices | undefined;
}

const key = (region: string, kind: string, item: string): string => `${region} ${kind} ${item}`;

export function vertexPriceBook(refreshed?: RefreshedPrices): VertexPriceBook {
  const rows = vertexSnapshotRows(refreshed?.rows ?? []) as unknown as VertexTrainingPrice[];
  const byKey = new Map(rows.map((row) => [key(row.region, row.kind, row.item), row]));
  const fetched = new Set<object>(rows);
  const all = [...rows, ...VERTEX_TRAINING_PRICES];
  return {
    machine: (region, name) => byKey.get(key(region, 'machine', name)) ?? findVertexMachinePrice(region, name),
    accelerator: (region, name) =>
      byKey.get(key(region, 'accelerator', name)) ?? findVertexAcceleratorPrice(region, name),
    pricedRegions: () => [...new Set(all.map((row) => row.region))].sort(),
    itemsIn: (region) => [...new Set(all.filter((row) => row.region === region).map((row) => row.item))],
    fromSnapshot: (row) => fetched.has(row),
    snapshot: refreshed,
  };
}

/**
 * The rows of a snapshot Vertex can use. The file is untrusted: a row must price a machine type or accelerator of
 * dlrun's Vertex catalog in a region named like Google's ("us-central1"), at a positive finite figure, with a source
 * URL and a date; anything else is dropped.
 */
export function vertexSnapshotRows(rows: readonly unknown[]): JsonValue[] {
  const kept: JsonValue[] = [];
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) continue;
    const value = row as Record<string, unknown>;
    const known =
      (value.kind === 'machine' && typeof value.item === 'string' && findVertexMachineType(value.item)) ||
      (value.kind === 'accelerator' && typeof value.item === 'string' && findVertexAccelerator(value.item));
    const price = value.usd_per_hour;
    const source = Array.isArray(value.source)
      ? value.source.filter((url): url is string => typeof url === 'string' && /^https?:\/\/\S{1,300}$/.test(url))
      : [];
    if (
      !known ||
      typeof value.region !== 'string' ||
      !/^[a-z]+-[a-z]+\d{1,2}$/.test(value.region) ||
      typeof price !== 'number' ||
      !Number.isFinite(price) ||
      price <= 0 ||
      price >= 10_000 ||
      source.length === 0 ||
      typeof value.as_of !== 'string' ||
      !/^\d{4}-\d\d-\d\d$/.test(value.as_of)
    )
      continue;
    const note = typeof value.note === 'string' ? value.note.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 500) : '';
    kept.push({
      region: value.region,
      kind: value.kind as string,
      item: value.item as string,
      usd_per_hour: price,
      source,
      as_of: value.as_of,
      unconfirmed_fields: ['usd_per_hour'],
      ...(note ? { note } : {}),
    });
  }
  return kept;
}
