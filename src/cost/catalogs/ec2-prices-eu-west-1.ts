import { familyPrices, type Ec2OnDemandPrice } from './ec2-price-row.js';
import { skypilotCopy } from './ec2-cpu-regional-price-copy.js';
import { vantageCopy } from './ec2-regional-price-copy.js';

/**
 * On-demand Linux prices per hour, eu-west-1: the GPU types commonly rented for training, read from a dated third
 * party's copy of the Price List (ec2-regional-price-copy.ts), and the CPU families t3, m5, c5 and c6i (metal sizes
 * aside), read from SkyPilot's copy (ec2-cpu-regional-price-copy.ts); every figure is marked unconfirmed. A catalog
 * type not here has no sourced eu-west-1 price (docs/catalogs.md, "Prices", lists them).
 */
export const EC2_ON_DEMAND_PRICES_EU_WEST_1: readonly Ec2OnDemandPrice[] = [
  ...familyPrices('g4dn', vantageCopy('eu-west-1', 'g4dn'), [
    ['xlarge', 0.587],
    ['2xlarge', 0.838],
    ['4xlarge', 1.342],
    ['8xlarge', 2.426],
    ['12xlarge', 4.362],
    ['16xlarge', 4.853],
    ['metal', 8.724],
  ]),
  ...familyPrices('g5', vantageCopy('eu-west-1', 'g5'), [
    ['xlarge', 1.123],
    ['2xlarge', 1.35296],
    ['4xlarge', 1.81287],
    ['8xlarge', 2.73271],
    ['12xlarge', 6.33167],
    ['16xlarge', 4.57237],
    ['24xlarge', 9.09117],
    ['48xlarge', 18.18233],
  ]),
  ...familyPrices('p3', vantageCopy('eu-west-1', 'p3'), [
    ['2xlarge', 3.305],
    ['8xlarge', 13.22],
    ['16xlarge', 26.44],
  ]),
  ...familyPrices('p3dn', vantageCopy('eu-west-1', 'p3dn'), [['24xlarge', 33.711]]),
  ...familyPrices('p4d', vantageCopy('eu-west-1', 'p4d'), [['24xlarge', 23.71569]]),
  // CPU families, from SkyPilot's copy (ec2-cpu-regional-price-copy.ts).
  ...familyPrices('t3', skypilotCopy('eu-west-1'), [
    ['nano', 0.0057],
    ['micro', 0.0114],
    ['small', 0.0228],
    ['medium', 0.0456],
    ['large', 0.0912],
    ['xlarge', 0.1824],
    ['2xlarge', 0.3648],
  ]),
  ...familyPrices('m5', skypilotCopy('eu-west-1'), [
    ['large', 0.107],
    ['xlarge', 0.214],
    ['2xlarge', 0.428],
    ['4xlarge', 0.856],
    ['8xlarge', 1.712],
    ['12xlarge', 2.568],
    ['16xlarge', 3.424],
    ['24xlarge', 5.136],
  ]),
  ...familyPrices('c5', skypilotCopy('eu-west-1'), [
    ['large', 0.096],
    ['xlarge', 0.192],
    ['2xlarge', 0.384],
    ['4xlarge', 0.768],
    ['9xlarge', 1.728],
    ['12xlarge', 2.304],
    ['18xlarge', 3.456],
    ['24xlarge', 4.608],
  ]),
  ...familyPrices('c6i', skypilotCopy('eu-west-1'), [
    ['large', 0.0912],
    ['xlarge', 0.1824],
    ['2xlarge', 0.3648],
    ['4xlarge', 0.7296],
    ['8xlarge', 1.4592],
    ['12xlarge', 2.1888],
    ['16xlarge', 2.9184],
    ['24xlarge', 4.3776],
    ['32xlarge', 5.8368],
  ]),
];
