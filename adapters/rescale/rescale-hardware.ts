import { DlrunError } from '../../src/base/errors.js';
import { suggestName } from '../../src/cost/catalogs/catalog-names.js';
import { findGpu, suggestGpu } from '../../src/cost/catalogs/gpus.js';
import { RESCALE_CORE_TYPES } from '../../src/cost/catalogs/rescale-core-types.js';
import type { RescaleCoreTypePrice } from '../../src/cost/catalogs/rescale-prices.js';
import { describeResources } from '../../src/spec/describe-resources.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { compareNames } from '../../src/util/compare-names.js';

/**
 * What dlrun knows of one core type for choosing hardware: the catalog's facts (rescale-core-types.ts) overlaid with
 * its price row, whose node sizes come from the same core types answer as the price and so win.
 */
export interface RescaleCoreTypeView {
  readonly code: string;
  readonly name: string | undefined;
  readonly cores_per_node: readonly number[] | undefined;
  readonly memory_mb_per_core: number | undefined;
  /** GPUs per node and their model (as gpus.ts names it), when a source gave both. */
  readonly gpus: { readonly model: string; readonly count: number } | undefined;
  /** True when a source says the type has GPUs, even without the model or count. */
  readonly has_gpus: boolean;
  readonly deprecated: boolean;
  readonly price: RescaleCoreTypePrice | undefined;
}

/** The hardware of a Rescale job: `hardware.coreType`, `coresPerSlot` and `slots` of its create request. */
export interface RescaleHardware {
  readonly coreType: RescaleCoreTypeView;
  readonly coresPerSlot: number;
  /** resources.nodes. */
  readonly slots: number;
  /** True when dlrun picked the core type (none named in backends.rescale.core_type). */
  readonly pickedByDlrun: boolean;
  /** True when the cores were taken from backends.rescale.cores or resources.cpus without a known list to check. */
  readonly coresUnchecked: boolean;
}

/** The catalog's core types with the given price rows laid over them, and the priced codes the catalog lacks. */
export function rescaleCoreTypeViews(prices: readonly RescaleCoreTypePrice[]): RescaleCoreTypeView[] {
  const priced = new Map(prices.map((row) => [row.code, row]));
  const views: RescaleCoreTypeView[] = RESCALE_CORE_TYPES.map((type) => {
    const price = priced.get(type.code);
    const model = type.gpus?.model ? findGpu(type.gpus.model)?.name : undefined;
    return {
      code: type.code,
      name: price?.name ?? type.name,
      cores_per_node: price?.cores_per_node ?? type.cores_per_node,
      memory_mb_per_core: price?.memory_mb_per_core ?? type.memory_mb_per_core,
      gpus: model && type.gpus?.count_per_node ? { model, count: type.gpus.count_per_node } : undefined,
      has_gpus: type.gpus !== undefined,
      deprecated: price?.deprecated === true,
      price,
    };
  });
  const known = new Set(views.map((view) => view.code));
  for (const row of prices) {
    if (known.has(row.code)) continue;
    views.push({
      code: row.code,
      name: row.name,
      cores_per_node: row.cores_per_node,
      memory_mb_per_core: row.memory_mb_per_core,
      gpus: undefined,
      has_gpus: false,
      deprecated: row.deprecated === true,
      price: row,
    });
  }
  return views;
}

/**
 * The hardware of a job: the core type `backends.rescale.core_type` names (an unknown code is a user error with a
 * did-you-mean), with `backends.rescale.cores` per node (which must be one of the type's `cores` when they are
 * known) or the fewest of them that hold `resources`; or, with no type named, the cheapest priced type and size
 * whose cores, memory and GPUs per node satisfy `resources` (spot jobs by their low-priority price). Slots are
 * `resources.nodes`. Deprecated types are never picked and are refused when named.
 */
export function rescaleHardware(
  job: Pick<JobSpec, 'backends' | 'resources'>,
  views: readonly RescaleCoreTypeView[],
): RescaleHardware {
  const options = job.backends?.rescale;
  const slots = job.resources.nodes;
  if (options?.core_type !== undefined) {
    const view = namedCoreType(options.core_type, views);
    const { cores, unchecked } = coresFor(view, options.cores, job.resources);
    return { coreType: view, coresPerSlot: cores, slots, pickedByDlrun: false, coresUnchecked: unchecked };
  }
  const wanted = wantedGpu(job.resources);
  const fits = views.flatMap((view) => {
    if (!view.price || view.deprecated || !view.cores_per_node) return [];
    return view.cores_per_node
      .filter((cores) => options?.cores === undefined || cores === options.cores)
      .filter((cores) => holds(view, cores, job.resources, wanted))
      .map((cores) => ({ view, cores, rate: cores * perCore(view.price!, job.resources.spot) }));
  });
  const cheapest = fits.sort(
    (first, second) =>
      first.rate - second.rate || first.cores - second.cores || compareNames(first.view.code, second.view.code),
  )[0];
  if (!cheapest) throw nothingFits(job, views, wanted);
  return { coreType: cheapest.view, coresPerSlot: cheapest.cores, slots, pickedByDlrun: true, coresUnchecked: false };
}

/** The price per core-hour a job pays on a row: low priority for a spot job when the row has one. */
export function perCore(price: RescaleCoreTypePrice, spot: boolean): number {
  return spot && price.low_priority_usd_per_core_hour !== null
    ? price.low_priority_usd_per_core_hour
    : price.usd_per_core_hour;
}

/** "adamite (Adamite)", or the code alone. */
export function describeCoreType(view: Pick<RescaleCoreTypeView, 'code' | 'name'>): string {
  return view.name && view.name.toLowerCase() !== view.code ? `${view.code} (${view.name})` : view.code;
}

function namedCoreType(code: string, views: readonly RescaleCoreTypeView[]): RescaleCoreTypeView {
  const view = views.find((candidate) => candidate.code === code);
  if (!view) {
    const suggestion = suggestName(
      code,
      views.map((candidate) => candidate.code),
    );
    throw new DlrunError(`dlrun knows no Rescale core type '${code}'`, {
      hint: suggestion
        ? `did you mean ${suggestion}?`
        : `name one of ${views.map((candidate) => candidate.code).join(', ')}, ` +
          'or leave backends.rescale.core_type out to let dlrun pick from resources',
    });
  }
  if (view.deprecated) {
    throw new DlrunError(`Rescale core type '${code}' is deprecated: Rescale takes no new jobs on it`, {
      hint: 'name another core type in backends.rescale.core_type, or leave it out to let dlrun pick',
    });
  }
  return view;
}

function coresFor(
  view: RescaleCoreTypeView,
  named: number | undefined,
  resources: JobSpec['resources'],
): { cores: number; unchecked: boolean } {
  const allowed = view.cores_per_node;
  if (named !== undefined) {
    if (allowed && !allowed.includes(named)) {
      throw new DlrunError(
        `Rescale core type ${view.code} has no node with ${named} cores: ` +
          `it comes with ${listed(allowed)} cores per node`,
        { hint: `set backends.rescale.cores to one of ${allowed.join(', ')}` },
      );
    }
    return { cores: named, unchecked: !allowed };
  }
  if (!allowed) {
    if (resources.cpus !== undefined) return { cores: resources.cpus, unchecked: true };
    throw new DlrunError(`dlrun does not know how many cores a node of Rescale core type ${view.code} has`, {
      hint: 'set backends.rescale.cores (or resources.cpus) to the cores per node you want',
    });
  }
  const fitting = allowed.find((cores) => holds(view, cores, resources, wantedGpu(resources)));
  if (fitting === undefined) {
    throw new DlrunError(`no node of Rescale core type ${view.code} has ${describeResources(resources)}`, {
      hint: `its nodes come with ${listed(allowed)} cores; ask for less in resources, or name another core type`,
    });
  }
  return { cores: fitting, unchecked: false };
}

interface WantedGpu {
  readonly model: string;
  readonly count: number;
}

function wantedGpu(resources: JobSpec['resources']): WantedGpu | undefined {
  if (!resources.gpu) return undefined;
  const gpu = findGpu(resources.gpu.model);
  if (!gpu) {
    const suggestion = suggestGpu(resources.gpu.model);
    throw new DlrunError(`dlrun knows no GPU named '${resources.gpu.model}'`, {
      hint: suggestion ? `did you mean ${suggestion}?` : 'write a model like T4, V100, L4, A100 or H100',
    });
  }
  return { model: gpu.name, count: resources.gpu.count };
}

/** Whether a node of `cores` cores of a type gives the cpus, memory (GiB; the API counts MB per core) and GPUs. */
function holds(
  view: RescaleCoreTypeView,
  cores: number,
  resources: JobSpec['resources'],
  wanted: WantedGpu | undefined,
): boolean {
  if (resources.cpus !== undefined && cores < resources.cpus) return false;
  if (resources.memory !== undefined) {
    if (view.memory_mb_per_core === undefined) return false;
    if ((view.memory_mb_per_core * cores) / 1024 < resources.memory) return false;
  }
  if (wanted) return view.gpus !== undefined && view.gpus.model === wanted.model && view.gpus.count >= wanted.count;
  // No GPU asked for: a GPU type is not picked for a CPU job (its price pays for GPUs the job leaves idle).
  return !view.has_gpus;
}

function nothingFits(
  job: Pick<JobSpec, 'backends' | 'resources'>,
  views: readonly RescaleCoreTypeView[],
  wanted: WantedGpu | undefined,
): DlrunError {
  const priced = views.filter((view) => view.price && !view.deprecated);
  const what = describeResources(job.resources);
  const cores = job.backends?.rescale?.cores;
  const sizes = priced.map((view) => `${view.code} (${listed(view.cores_per_node ?? [])} cores)`);
  return new DlrunError(
    `no priced Rescale core type has ${what}${cores !== undefined ? ` with ${cores} cores per node` : ''}` +
      (wanted ? ` (no GPU core type's model and count could be sourced)` : ''),
    {
      hint:
        `dlrun has prices for ${sizes.join(', ') || 'no core type'}; ` +
        'name a core type in backends.rescale.core_type and its cores in backends.rescale.cores, or see ' +
        'docs/rescale-backend.md ("Prices and the bill")',
    },
  );
}

/** "1, 2, 4 or 8". */
function listed(values: readonly number[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}
