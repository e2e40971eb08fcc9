import { familyPrices, PRICE_SOURCES, type Ec2OnDemandPrice, type SharedPrice } from './ec2-price-row.js';

/** The date the generated Price List copy states ("generated at 2026-02-09T13:43:35Z for us-east-1"). */
const KARPENTER_GENERATED_ON = '2026-02-09';

const usEast1: SharedPrice = {
  region: 'us-east-1',
  source: [PRICE_SOURCES.karpenterUsEast1],
  as_of: KARPENTER_GENERATED_ON,
};
const previousGeneration: SharedPrice = {
  ...usEast1,
  note:
    'Still in the Price List, so AWS still publishes a price; ' +
    'whether the family can still be launched is another matter (ec2-families.ts).',
};
const metal: SharedPrice = {
  ...usEast1,
  note:
    'A whole host: the Price List files metal sizes under the bare-metal product family with Dedicated tenancy, ' +
    "which is where Karpenter's generator reads them.",
};
const afterJune2025Cut: SharedPrice = {
  ...usEast1,
  note:
    "Read from a copy generated 2026-02-09, after AWS's June 2025 P4/P5 on-demand price cut, whose new figures " +
    'providers.md 1.10 could not confirm.',
};
const p4AfterCut: SharedPrice = {
  ...afterJune2025Cut,
  note:
    `${afterJune2025Cut.note} The same generator's 2023-02-27 output listed p4d.24xlarge at $32.7726 and ` +
    'p4de.24xlarge at $40.96575; ' +
    'an undated SkyPilot catalog copy read alongside still showed $32.7726, so it was not used.',
};

/**
 * On-demand Linux prices per hour, us-east-1, for every instance type in EC2_INSTANCE_TYPES but p5e.48xlarge,
 * which the Price List has no on-demand us-east-1 price for (it is sold through capacity blocks), so it is left out.
 * Other regions have files of their own (ec2-prices-REGION.ts), joined in ec2-price-catalog.ts.
 */
export const EC2_ON_DEMAND_PRICES_US_EAST_1: readonly Ec2OnDemandPrice[] = [
  // GPU families.
  ...familyPrices('g2', previousGeneration, [
    ['2xlarge', 0.65],
    ['8xlarge', 2.6],
  ]),
  ...familyPrices('p2', previousGeneration, [
    ['xlarge', 0.9],
    ['8xlarge', 7.2],
    ['16xlarge', 14.4],
  ]),
  ...familyPrices('g3s', previousGeneration, [['xlarge', 0.75]]),
  ...familyPrices('g3', previousGeneration, [
    ['4xlarge', 1.14],
    ['8xlarge', 2.28],
    ['16xlarge', 4.56],
  ]),
  ...familyPrices('p3', previousGeneration, [
    ['2xlarge', 3.06],
    ['8xlarge', 12.24],
    ['16xlarge', 24.48],
  ]),
  ...familyPrices('p3dn', previousGeneration, [['24xlarge', 31.212]]),
  ...familyPrices('g4dn', usEast1, [
    ['xlarge', 0.526],
    ['2xlarge', 0.752],
    ['4xlarge', 1.204],
    ['8xlarge', 2.176],
    ['12xlarge', 3.912],
    ['16xlarge', 4.352],
  ]),
  ...familyPrices('g4dn', metal, [['metal', 7.824]]),
  ...familyPrices('g5', usEast1, [
    ['2xlarge', 1.212],
    ['4xlarge', 1.624],
    ['8xlarge', 2.448],
    ['12xlarge', 5.672],
    ['16xlarge', 4.096],
    ['24xlarge', 8.144],
    ['48xlarge', 16.288],
  ]),
  ...familyPrices(
    'g5',
    {
      ...usEast1,
      note:
        'providers.md 1.10 had $1.006 from a secondary source only; ' +
        'the generated Price List copy states the same figure.',
    },
    [['xlarge', 1.006]],
  ),
  ...familyPrices('g6', usEast1, [
    ['xlarge', 0.8048],
    ['2xlarge', 0.9776],
    ['4xlarge', 1.3232],
    ['8xlarge', 2.0144],
    ['12xlarge', 4.6016],
    ['16xlarge', 3.3968],
    ['24xlarge', 6.6752],
    ['48xlarge', 13.3504],
  ]),
  ...familyPrices('g6e', usEast1, [
    ['xlarge', 1.861],
    ['2xlarge', 2.24208],
    ['4xlarge', 3.00424],
    ['8xlarge', 4.52856],
    ['12xlarge', 10.49264],
    ['16xlarge', 7.57719],
    ['24xlarge', 15.06559],
    ['48xlarge', 30.13118],
  ]),
  ...familyPrices('p4d', p4AfterCut, [['24xlarge', 21.957642]]),
  ...familyPrices('p4de', p4AfterCut, [['24xlarge', 27.44705]]),
  ...familyPrices('p5', afterJune2025Cut, [
    ['48xlarge', 55.04],
    ['4xlarge', 6.88],
  ]),
  ...familyPrices('p5en', afterJune2025Cut, [['48xlarge', 63.296]]),
  ...familyPrices('p6-b200', usEast1, [['48xlarge', 113.9328]]),
  // CPU families.
  ...familyPrices('t3', usEast1, [
    ['nano', 0.0052],
    ['micro', 0.0104],
    ['small', 0.0208],
    ['medium', 0.0416],
    ['large', 0.0832],
    ['xlarge', 0.1664],
    ['2xlarge', 0.3328],
  ]),
  ...familyPrices('m5', usEast1, [
    ['large', 0.096],
    ['xlarge', 0.192],
    ['2xlarge', 0.384],
    ['4xlarge', 0.768],
    ['8xlarge', 1.536],
    ['12xlarge', 2.304],
    ['16xlarge', 3.072],
    ['24xlarge', 4.608],
  ]),
  ...familyPrices('m5', metal, [['metal', 4.608]]),
  ...familyPrices('m6i', usEast1, [
    ['large', 0.096],
    ['xlarge', 0.192],
    ['2xlarge', 0.384],
    ['4xlarge', 0.768],
    ['8xlarge', 1.536],
    ['12xlarge', 2.304],
    ['16xlarge', 3.072],
    ['24xlarge', 4.608],
    ['32xlarge', 6.144],
  ]),
  ...familyPrices('m6i', metal, [['metal', 6.144]]),
  ...familyPrices('m7i', usEast1, [
    ['large', 0.1008],
    ['xlarge', 0.2016],
    ['2xlarge', 0.4032],
    ['4xlarge', 0.8064],
    ['8xlarge', 1.6128],
    ['12xlarge', 2.4192],
    ['16xlarge', 3.2256],
    ['24xlarge', 4.8384],
    ['48xlarge', 9.6768],
  ]),
  ...familyPrices('m7i', metal, [
    ['metal-24xl', 5.32224],
    ['metal-48xl', 9.6768],
  ]),
  ...familyPrices('c5', usEast1, [
    ['large', 0.085],
    ['xlarge', 0.17],
    ['2xlarge', 0.34],
    ['4xlarge', 0.68],
    ['9xlarge', 1.53],
    ['12xlarge', 2.04],
    ['18xlarge', 3.06],
    ['24xlarge', 4.08],
  ]),
  ...familyPrices('c5', metal, [['metal', 4.08]]),
  ...familyPrices('c6i', usEast1, [
    ['large', 0.085],
    ['xlarge', 0.17],
    ['2xlarge', 0.34],
    ['4xlarge', 0.68],
    ['8xlarge', 1.36],
    ['12xlarge', 2.04],
    ['16xlarge', 2.72],
    ['24xlarge', 4.08],
    ['32xlarge', 5.44],
  ]),
  ...familyPrices('c6i', metal, [['metal', 5.44]]),
  ...familyPrices('c7i', usEast1, [
    ['large', 0.08925],
    ['xlarge', 0.1785],
    ['2xlarge', 0.357],
    ['4xlarge', 0.714],
    ['8xlarge', 1.428],
    ['12xlarge', 2.142],
    ['16xlarge', 2.856],
    ['24xlarge', 4.284],
    ['48xlarge', 8.568],
  ]),
  ...familyPrices('c7i', metal, [
    ['metal-24xl', 4.7124],
    ['metal-48xl', 8.568],
  ]),
  ...familyPrices('r5', usEast1, [
    ['large', 0.126],
    ['xlarge', 0.252],
    ['2xlarge', 0.504],
    ['4xlarge', 1.008],
    ['8xlarge', 2.016],
    ['12xlarge', 3.024],
    ['16xlarge', 4.032],
    ['24xlarge', 6.048],
  ]),
  ...familyPrices('r5', metal, [['metal', 6.048]]),
  ...familyPrices('r6i', usEast1, [
    ['large', 0.126],
    ['xlarge', 0.252],
    ['2xlarge', 0.504],
    ['4xlarge', 1.008],
    ['8xlarge', 2.016],
    ['12xlarge', 3.024],
    ['16xlarge', 4.032],
    ['24xlarge', 6.048],
    ['32xlarge', 8.064],
  ]),
  ...familyPrices('r6i', metal, [['metal', 8.064]]),
];
