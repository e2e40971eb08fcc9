import { DlrunError } from '../../src/base/errors.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import {
  EC2_INSTANCE_TYPES,
  findEc2InstanceType,
  suggestEc2InstanceType,
  type Ec2InstanceType,
} from '../../src/cost/catalogs/ec2-instance-types.js';
import type { Ec2OnDemandPrice } from '../../src/cost/catalogs/ec2-price-catalog.js';
import { findGpu, suggestGpu } from '../../src/cost/catalogs/gpus.js';
import { describeResources } from '../../src/spec/describe-resources.js';
import { ec2PriceBook, type Ec2PriceBook } from './ec2-price-book.js';
import { compareNames } from '../../src/util/compare-names.js';

const CATALOG = ec2PriceBook();

/** An instance type with its on-demand price in the job's region. */
export interface PricedEc2Type {
  readonly type: Ec2InstanceType;
  readonly price: Ec2OnDemandPrice;
}

type Resources = JobSpec['resources'];

/** The instance type the job names, with its price in `region`; a clear error when either is missing. */
export function namedEc2InstanceType(name: string, region: string, book: Ec2PriceBook = CATALOG): PricedEc2Type {
  const type = findEc2InstanceType(name);
  if (!type) {
    const suggestion = suggestEc2InstanceType(name);
    throw new DlrunError(`dlrun's catalog has no EC2 instance type '${name}', so it cannot price it`, {
      hint: suggestion
        ? `did you mean ${suggestion}?`
        : 'name a type from docs/catalogs.md, or leave backends.ec2.instance_type out to let dlrun pick',
    });
  }
  const price = book.onDemand(region, name);
  if (!price && !book.pricedRegions().includes(region)) throw noPricesIn(region, book);
  if (!price) {
    const elsewhere = book.pricedRegions().filter((other) => book.onDemand(other, name));
    throw new DlrunError(
      `dlrun has no on-demand price for ${name} in ${region}` +
        (elsewhere.length ? ` (it has one in ${elsewhere.join(', ')})` : ''),
      { hint: whereDlrunHasPrices(region, book) },
    );
  }
  return { type, price };
}

/**
 * The cheapest priced instance type in `region` that has the GPU model and count, vCPUs and memory the job's
 * `resources` ask for (each machine of a multi-node job gets one). Ties go to the smaller machine, then the name,
 * so the choice never depends on catalog order.
 */
export function cheapestEc2InstanceType(
  resources: Resources,
  region: string,
  book: Ec2PriceBook = CATALOG,
): PricedEc2Type {
  const priced = EC2_INSTANCE_TYPES.flatMap((type) => {
    const price = book.onDemand(region, type.name);
    return price ? [{ type, price }] : [];
  });
  if (priced.length === 0) throw noPricesIn(region, book);
  const gpuModel = wantedGpuModel(resources);
  if (gpuModel === undefined && priced.every(({ type }) => type.gpus)) {
    // A region whose catalog prices only GPU types (docs/catalogs.md): a GPU machine is no fair quote for a CPU job.
    const cpuRegions = book
      .pricedRegions()
      .filter((other) => EC2_INSTANCE_TYPES.some((type) => !type.gpus && book.onDemand(other, type.name)));
    throw new DlrunError(
      `dlrun has no prices for EC2 CPU instance types in ${region}, only GPU types` +
        (cpuRegions.length ? ` (CPU types are priced in ${cpuRegions.join(', ')})` : ''),
      { hint: 'set backends.ec2.region to a region with CPU prices, or name a GPU type in backends.ec2.instance_type' },
    );
  }
  const withGpu =
    gpuModel === undefined
      ? priced
      : priced.filter(({ type }) => type.gpus && findGpu(type.gpus.model)?.name === gpuModel);
  if (gpuModel !== undefined && withGpu.length === 0) {
    const models = new Set(priced.flatMap(({ type }) => (type.gpus ? [type.gpus.model] : [])));
    throw new DlrunError(`no EC2 instance type priced in ${region} has a ${gpuModel} GPU`, {
      hint: `the GPUs dlrun can price on EC2 there: ${[...models].join(', ')}`,
    });
  }
  const fitting = withGpu.filter(({ type }) => satisfies(type, resources));
  const cheapest = fitting.sort(byPriceThenSize)[0];
  if (!cheapest) {
    throw new DlrunError(`no EC2 instance type priced in ${region} has ${describeResources(resources)}`, {
      hint:
        `the largest there${gpuModel ? ` with ${gpuModel} GPUs` : ''}: ` +
        largest(withGpu).map(describeType).join('; '),
    });
  }
  return cheapest;
}

function wantedGpuModel(resources: Resources): string | undefined {
  if (!resources.gpu) return undefined;
  const gpu = findGpu(resources.gpu.model);
  if (!gpu) {
    const suggestion = suggestGpu(resources.gpu.model);
    throw new DlrunError(`dlrun knows no GPU named '${resources.gpu.model}'`, {
      hint: suggestion ? `did you mean ${suggestion}?` : 'write a model like T4, V100, A10G, L4, A100 or H100',
    });
  }
  return gpu.name;
}

function satisfies(type: Ec2InstanceType, resources: Resources): boolean {
  if (resources.gpu && (type.gpus?.count ?? 0) < resources.gpu.count) return false;
  if (resources.cpus !== undefined && type.vcpus < resources.cpus) return false;
  return resources.memory === undefined || type.memory_gib >= resources.memory;
}

function byPriceThenSize(first: PricedEc2Type, second: PricedEc2Type): number {
  return (
    first.price.usd_per_hour - second.price.usd_per_hour ||
    first.type.vcpus - second.type.vcpus ||
    first.type.memory_gib - second.type.memory_gib ||
    compareNames(first.type.name, second.type.name)
  );
}

/** The types with the most GPUs, vCPUs or memory, so the message shows how far the request is from what exists. */
function largest(candidates: readonly PricedEc2Type[]): Ec2InstanceType[] {
  const most = (measure: (type: Ec2InstanceType) => number): Ec2InstanceType =>
    candidates.map(({ type }) => type).reduce((best, type) => (measure(type) > measure(best) ? type : best));
  return [
    ...new Set([most((type) => type.gpus?.count ?? 0), most((type) => type.vcpus), most((type) => type.memory_gib)]),
  ];
}

function describeType(type: Ec2InstanceType): string {
  const gpus = type.gpus ? `${type.gpus.count} ${type.gpus.model}, ` : '';
  return `${type.name} (${gpus}${type.vcpus} vCPUs, ${type.memory_gib} GiB)`;
}

/** A region the catalog has no price for: the message itself names the regions it has (quote prints no hint). */
function noPricesIn(region: string, book: Ec2PriceBook): DlrunError {
  return new DlrunError(`dlrun has no EC2 prices for ${region} (it has them for ${book.pricedRegions().join(', ')})`, {
    hint: whereDlrunHasPrices(region, book),
  });
}

function whereDlrunHasPrices(region: string, book: Ec2PriceBook): string {
  const regions = book.pricedRegions().filter((priced) => priced !== region);
  return regions.length
    ? `dlrun's EC2 prices cover ${regions.join(', ')}; ` +
        'set backends.ec2.region to one of them for a quote, or see docs/catalogs.md'
    : 'see docs/catalogs.md for the prices dlrun has';
}
