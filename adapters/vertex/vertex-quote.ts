import { DlrunError } from '../../src/base/errors.js';
import { isUnconfirmed } from '../../src/cost/catalogs/catalog-row.js';
import {
  VERTEX_TRAINING_BILLING,
  vertexPriceAbsence,
  type VertexTrainingPrice,
} from '../../src/cost/catalogs/vertex-price-catalog.js';
import type { RefreshedPrices } from '../../src/cost/price-refresh.js';
import { vertexPriceBook, type VertexPriceBook } from './vertex-price-book.js';
import type { PriceSnapshot } from '../../src/cost/price-snapshot.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import {
  bySize,
  describeVertexMachine,
  vertexMachineCandidates,
  vertexMachineRequest,
  type VertexMachineChoice,
} from './vertex-machine-choice.js';
import { nodeUsdPerHour, roundToCentMillionths, type VertexPriceBasis } from './vertex-price-basis.js';
import { describeResources } from '../../src/spec/describe-resources.js';

/**
 * Why the quote and the bill carry no figure of Google's own beside dlrun's (capability `providerBilling`): said in
 * the working of every Vertex price, so a reader of the quote or the bill sees it.
 */
export const VERTEX_PROVIDER_FIGURE =
  "provider's figure: none; Vertex AI returns no cost for a job, and the authoritative figure is the Cloud Billing " +
  'export to BigQuery (filtered on the job labels), which lags by hours and which dlrun does not read';

/** A candidate machine with its prices in the region, or the names that have none there. */
interface PricedChoice {
  readonly choice: VertexMachineChoice;
  readonly machine: VertexTrainingPrice;
  readonly accelerators: VertexTrainingPrice | undefined;
  readonly node_usd_per_hour: number;
}

/**
 * The on-demand price of a Vertex AI custom job as `quote` shows it and `submit` stores it: the machine type and
 * accelerators `backends.vertex` names, or the cheapest priced ones that satisfy `resources` under Vertex's family
 * rules, in the job's region, times its replicas (`resources.nodes`). Every part of the rate, its source and date
 * go into the working (`price_source`), with the billing increment, which no source confirms, marked so.
 */
export function vertexPrice(
  job: Pick<JobSpec, 'backends' | 'resources'>,
  region: string,
  refreshed?: RefreshedPrices,
): PriceSnapshot {
  const book = vertexPriceBook(refreshed);
  const request = vertexMachineRequest(job);
  const candidates = vertexMachineCandidates(request);
  if (!book.pricedRegions().includes(region)) {
    throw new DlrunError(
      `dlrun has no Vertex AI prices for ${region}: its Vertex prices cover ${book.pricedRegions().join(', ')} only`,
      { hint: 'set backends.vertex.region to one of them for a quote, or see docs/vertex-backend.md ("Prices")' },
    );
  }
  const priced = candidates.flatMap((choice) => {
    const found = pricedChoice(choice, region, book);
    return found ? [found] : [];
  });
  const cheapest = [...priced].sort(
    (first, second) => first.node_usd_per_hour - second.node_usd_per_hour || bySize(first.choice, second.choice),
  )[0];
  if (!cheapest) throw noPrice(candidates, region, request.machineType !== undefined, job.resources, book);
  const replicas = job.resources.nodes;
  const pickedByDlrun =
    request.machineType === undefined || (cheapest.choice.accelerators !== null && !request.acceleratorType);
  const parts = [cheapest.machine, ...(cheapest.accelerators ? [cheapest.accelerators] : [])];
  const basis: VertexPriceBasis = {
    region,
    machine_type: cheapest.choice.machine.name,
    machine_usd_per_hour: cheapest.machine.usd_per_hour,
    accelerators:
      cheapest.choice.accelerators && cheapest.accelerators
        ? {
            type: cheapest.choice.accelerators.type.name,
            count: cheapest.choice.accelerators.count,
            usd_per_hour: cheapest.accelerators.usd_per_hour,
          }
        : null,
    replicas,
    billing_increment_s: VERTEX_TRAINING_BILLING.billing_increment_s,
    minimum_billed_s: VERTEX_TRAINING_BILLING.minimum_billed_s,
    billing_unconfirmed: isUnconfirmed(VERTEX_TRAINING_BILLING, 'billing_increment_s'),
  };
  const machine = describeVertexMachine(cheapest.choice);
  return {
    machine: replicas === 1 ? machine : `${replicas} x (${machine})`,
    rate_per_hour_usd: roundToCentMillionths(replicas * cheapest.node_usd_per_hour),
    billing_increment_s: basis.billing_increment_s,
    minimum_billed_s: basis.minimum_billed_s,
    price_source: working(cheapest, basis, {
      pickedByDlrun,
      others: candidates.length - 1,
      pricedOthers: priced.length - 1,
      spot: job.resources.spot,
    }),
    price_as_of: parts.map((part) => part.as_of).sort()[0]!,
    // The increment is unconfirmed, so every Vertex total is; and so is a figure resting on any other doubt.
    ...(basis.billing_unconfirmed ||
    cheapest.choice.unconfirmed ||
    parts.some((part) => isUnconfirmed(part, 'usd_per_hour') || isUnconfirmed(part, 'region'))
      ? { unconfirmed: true }
      : {}),
    basis,
  };
}

function pricedChoice(choice: VertexMachineChoice, region: string, book: VertexPriceBook): PricedChoice | undefined {
  const machine = book.machine(region, choice.machine.name);
  const accelerators = choice.accelerators ? book.accelerator(region, choice.accelerators.type.name) : undefined;
  if (!machine || (choice.accelerators && !accelerators)) return undefined;
  return {
    choice,
    machine,
    accelerators,
    node_usd_per_hour: nodeUsdPerHour({
      machine_usd_per_hour: machine.usd_per_hour,
      accelerators:
        choice.accelerators && accelerators
          ? {
              type: choice.accelerators.type.name,
              count: choice.accelerators.count,
              usd_per_hour: accelerators.usd_per_hour,
            }
          : null,
    }),
  };
}

/** The rate's parts, each with its figure, source and date, then the billing rule and what is not priced. */
function working(
  priced: PricedChoice,
  basis: VertexPriceBasis,
  how: { pickedByDlrun: boolean; others: number; pricedOthers: number; spot: boolean },
): string {
  const { choice } = priced;
  const lines = [
    `${basis.region} Vertex AI custom training, on demand: ${choice.machine.name} ${part(priced.machine)} per node` +
      (choice.accelerators && priced.accelerators
        ? ` + ${choice.accelerators.count} x ${choice.accelerators.type.name} ${part(priced.accelerators)} each`
        : '') +
      ` = $${nodeUsdPerHour(basis)}/h per node` +
      (basis.replicas > 1 ? ` x ${basis.replicas} replicas` : ''),
  ];
  if (how.pickedByDlrun) {
    lines.push(
      `picked by dlrun: the cheapest priced machine that satisfies resources` +
        (how.others > how.pricedOthers
          ? ` (${how.others - how.pricedOthers} other${how.others - how.pricedOthers === 1 ? '' : 's'} satisfy ` +
            'them but dlrun has no Vertex price for them, and one may be cheaper)'
          : ''),
    );
  }
  if (choice.unconfirmed) lines.push('the machine choice rests on an unconfirmed catalog figure (docs/catalogs.md)');
  lines.push(
    `billed per ${basis.billing_increment_s === 1 ? 'second' : `${basis.billing_increment_s} s`} of ` +
      `${VERTEX_TRAINING_BILLING.billed_span}, ` +
      (basis.minimum_billed_s > 0 ? `at least ${basis.minimum_billed_s} s` : 'no minimum') +
      (basis.billing_unconfirmed
        ? ": unconfirmed, no source states Vertex's billing increment or minimum for custom training"
        : ''),
  );
  lines.push(
    'boot disks not priced: no Vertex AI disk price was sourced (each replica has a 100 GB pd-ssd by default)',
  );
  if (how.spot) lines.push('spot: quoted at the on-demand rate; dlrun has no Vertex AI spot prices');
  lines.push(VERTEX_PROVIDER_FIGURE);
  return lines.join('; ');
}

/** "$0.21849885/h (secondary: a copy of PAGE, COPY, as of DATE)", with what is unconfirmed about it. */
function part(row: VertexTrainingPrice): string {
  const origin = row.secondary
    ? `secondary: a copy of ${row.source[0]}, ${row.source.at(-1)}`
    : `from ${row.source.join(' and ')}`;
  const doubts = [
    ...(isUnconfirmed(row, 'usd_per_hour') ? ['the figure'] : []),
    ...(isUnconfirmed(row, 'region') ? ['its region'] : []),
  ];
  const doubt = doubts.length ? `; ${doubts.join(' and ')} unconfirmed` : '';
  return `$${row.usd_per_hour}/h (${origin}, as of ${row.as_of}${doubt})`;
}

function noPrice(
  candidates: readonly VertexMachineChoice[],
  region: string,
  named: boolean,
  resources: JobSpec['resources'],
  book: VertexPriceBook,
): DlrunError {
  const unpriced = (pick: (choice: VertexMachineChoice) => string | undefined): string[] =>
    candidates.flatMap((choice) => {
      const item = pick(choice);
      return item ? [item] : [];
    });
  // Accelerators first: a GPU's price is what a GPU job most needs, and there are few of them.
  const missing = [
    ...new Set([
      ...unpriced((choice) =>
        choice.accelerators && !book.accelerator(region, choice.accelerators.type.name)
          ? choice.accelerators.type.name
          : undefined,
      ),
      ...unpriced((choice) => (book.machine(region, choice.machine.name) ? undefined : choice.machine.name)),
    ]),
  ];
  const shown = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ` or ${missing.length - 3} more` : '');
  const why = missing.some((item) => vertexPriceAbsence(item))
    ? `no custom-training price could be sourced for ${shown}`
    : `the catalog has no price there for ${shown}`;
  const what = named ? describeVertexMachine(candidates[0]!) : `a machine with ${describeResources(resources)}`;
  return new DlrunError(`dlrun has no Vertex AI price in ${region} for ${what}: ${why}`, {
    hint: `${pricedThere(region, book)}; see docs/vertex-backend.md ("Prices")`,
  });
}

function pricedThere(region: string, book: VertexPriceBook): string {
  const items = book.itemsIn(region);
  return `dlrun's Vertex AI prices for ${region}: ${items.join(', ')}`;
}
