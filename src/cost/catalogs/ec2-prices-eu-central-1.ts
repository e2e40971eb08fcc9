import { familyPrices, type Ec2OnDemandPrice } from './ec2-price-row.js';
import { skypilotCopy } from './ec2-cpu-regional-price-copy.js';
import { vantageCopy } from './ec2-regional-price-copy.js';

/**
 * On-demand Linux prices per hour, eu-central-1: the GPU types commonly rented for training, read from a dated third
 * party's copy of the Price List (ec2-regional-price-copy.ts), and the CPU families t3, m5, c5 and c6i (metal sizes
 * aside), read from SkyPilot's copy (ec2-cpu-regional-price-copy.ts); every figure is marked unconfirmed. A catalog
 * type not here has no sourced eu-central-1 price (docs/catalogs.md, "Prices", lists them).
 */
export const EC2_ON_DEMAND_PRICES_EU_CENTRAL_1: readonly Ec2OnDemandPrice[] = [
  ...familyPrices('g4dn', vantageCopy('eu-central-1', 'g4dn'), [
    ['xlarge', 0.658],
    ['2xlarge', 0.94],
    ['4xlarge', 1.505],
    ['8xlarge', 2.72],
    ['12xlarge', 4.89],
    ['16xlarge', 5.44],
    ['metal', 9.78],
  ]),
  ...familyPrices('g5', vantageCopy('eu-central-1', 'g5'), [
    ['xlarge', 1.258],
    ['2xlarge', 1.5156],
    ['4xlarge', 2.03081],
    ['8xlarge', 3.06122],
    ['12xlarge', 7.09282],
    ['16xlarge', 5.12204],
    ['24xlarge', 10.18405],
    ['48xlarge', 20.3681],
  ]),
  ...familyPrices('g6', vantageCopy('eu-central-1', 'g6'), [
    ['xlarge', 1.0064],
    ['2xlarge', 1.22249],
    ['4xlarge', 1.65466],
    ['8xlarge', 2.519],
    ['12xlarge', 5.75429],
    ['16xlarge', 4.24769],
    ['24xlarge', 8.34732],
    ['48xlarge', 16.69464],
  ]),
  ...familyPrices('g6e', vantageCopy('eu-central-1', 'g6e'), [
    ['xlarge', 2.327],
    ['2xlarge', 2.8035],
    ['4xlarge', 3.75651],
    ['8xlarge', 5.66252],
    ['12xlarge', 13.12002],
    ['16xlarge', 9.47454],
    ['24xlarge', 18.83806],
    ['48xlarge', 37.67612],
  ]),
  ...familyPrices('p3', vantageCopy('eu-central-1', 'p3'), [
    ['2xlarge', 3.823],
    ['8xlarge', 15.292],
    ['16xlarge', 30.584],
  ]),
  ...familyPrices('p4d', vantageCopy('eu-central-1', 'p4d'), [['24xlarge', 27.43298]]),
  ...familyPrices('p4de', vantageCopy('eu-central-1', 'p4de'), [['24xlarge', 34.29122]]),
  // CPU families, from SkyPilot's copy (ec2-cpu-regional-price-copy.ts).
  ...familyPrices('t3', skypilotCopy('eu-central-1'), [
    ['nano', 0.006],
    ['micro', 0.012],
    ['small', 0.024],
    ['medium', 0.048],
    ['large', 0.096],
    ['xlarge', 0.192],
    ['2xlarge', 0.384],
  ]),
  ...familyPrices('m5', skypilotCopy('eu-central-1'), [
    ['large', 0.115],
    ['xlarge', 0.23],
    ['2xlarge', 0.46],
    ['4xlarge', 0.92],
    ['8xlarge', 1.84],
    ['12xlarge', 2.76],
    ['16xlarge', 3.68],
    ['24xlarge', 5.52],
  ]),
  ...familyPrices('c5', skypilotCopy('eu-central-1'), [
    ['large', 0.097],
    ['xlarge', 0.194],
    ['2xlarge', 0.388],
    ['4xlarge', 0.776],
    ['9xlarge', 1.746],
    ['12xlarge', 2.328],
    ['18xlarge', 3.492],
    ['24xlarge', 4.656],
  ]),
  ...familyPrices('c6i', skypilotCopy('eu-central-1'), [
    ['large', 0.097],
    ['xlarge', 0.194],
    ['2xlarge', 0.388],
    ['4xlarge', 0.776],
    ['8xlarge', 1.552],
    ['12xlarge', 2.328],
    ['16xlarge', 3.104],
    ['24xlarge', 4.656],
    ['32xlarge', 6.208],
  ]),
];
