import { familyPrices, type Ec2OnDemandPrice } from './ec2-price-row.js';
import { skypilotCopy } from './ec2-cpu-regional-price-copy.js';
import { vantageCopy } from './ec2-regional-price-copy.js';

/**
 * On-demand Linux prices per hour, us-east-2: the GPU types commonly rented for training, read from a dated third
 * party's copy of the Price List (ec2-regional-price-copy.ts), and the CPU families t3, m5, c5 and c6i (metal sizes
 * aside), read from SkyPilot's copy (ec2-cpu-regional-price-copy.ts); every figure is marked unconfirmed. A catalog
 * type not here has no sourced us-east-2 price (docs/catalogs.md, "Prices", lists them).
 */
export const EC2_ON_DEMAND_PRICES_US_EAST_2: readonly Ec2OnDemandPrice[] = [
  ...familyPrices('g4dn', vantageCopy('us-east-2', 'g4dn'), [
    ['xlarge', 0.526],
    ['2xlarge', 0.752],
    ['4xlarge', 1.204],
    ['8xlarge', 2.176],
    ['12xlarge', 3.912],
    ['16xlarge', 4.352],
    ['metal', 7.824],
  ]),
  ...familyPrices('g5', vantageCopy('us-east-2', 'g5'), [
    ['xlarge', 1.006],
    ['2xlarge', 1.212],
    ['4xlarge', 1.624],
    ['8xlarge', 2.448],
    ['12xlarge', 5.672],
    ['16xlarge', 4.096],
    ['24xlarge', 8.144],
    ['48xlarge', 16.288],
  ]),
  ...familyPrices('g6', vantageCopy('us-east-2', 'g6'), [
    ['xlarge', 0.8048],
    ['2xlarge', 0.9776],
    ['4xlarge', 1.3232],
    ['8xlarge', 2.0144],
    ['12xlarge', 4.6016],
    ['16xlarge', 3.3968],
    ['24xlarge', 6.6752],
    ['48xlarge', 13.3504],
  ]),
  ...familyPrices('g6e', vantageCopy('us-east-2', 'g6e'), [
    ['xlarge', 1.861],
    ['2xlarge', 2.24208],
    ['4xlarge', 3.00424],
    ['8xlarge', 4.52856],
    ['12xlarge', 10.49264],
    ['16xlarge', 7.57719],
    ['24xlarge', 15.06559],
    ['48xlarge', 30.13118],
  ]),
  ...familyPrices('p3', vantageCopy('us-east-2', 'p3'), [
    ['2xlarge', 3.06],
    ['8xlarge', 12.24],
    ['16xlarge', 24.48],
  ]),
  ...familyPrices('p4d', vantageCopy('us-east-2', 'p4d'), [['24xlarge', 21.95764]]),
  ...familyPrices('p5', vantageCopy('us-east-2', 'p5'), [
    ['4xlarge', 6.88],
    ['48xlarge', 55.04],
  ]),
  ...familyPrices('p5en', vantageCopy('us-east-2', 'p5en'), [['48xlarge', 63.296]]),
  // CPU families, from SkyPilot's copy (ec2-cpu-regional-price-copy.ts).
  ...familyPrices('t3', skypilotCopy('us-east-2'), [
    ['nano', 0.0052],
    ['micro', 0.0104],
    ['small', 0.0208],
    ['medium', 0.0416],
    ['large', 0.0832],
    ['xlarge', 0.1664],
    ['2xlarge', 0.3328],
  ]),
  ...familyPrices('m5', skypilotCopy('us-east-2'), [
    ['large', 0.096],
    ['xlarge', 0.192],
    ['2xlarge', 0.384],
    ['4xlarge', 0.768],
    ['8xlarge', 1.536],
    ['12xlarge', 2.304],
    ['16xlarge', 3.072],
    ['24xlarge', 4.608],
  ]),
  ...familyPrices('c5', skypilotCopy('us-east-2'), [
    ['large', 0.085],
    ['xlarge', 0.17],
    ['2xlarge', 0.34],
    ['4xlarge', 0.68],
    ['9xlarge', 1.53],
    ['12xlarge', 2.04],
    ['18xlarge', 3.06],
    ['24xlarge', 4.08],
  ]),
  ...familyPrices('c6i', skypilotCopy('us-east-2'), [
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
];
