import { familyPrices, type Ec2OnDemandPrice } from './ec2-price-row.js';
import { vantageCopy } from './ec2-regional-price-copy.js';

/**
 * On-demand Linux prices per hour, eu-west-1, of the GPU types commonly rented for training, read from a dated
 * third party's copy of the Price List (ec2-regional-price-copy.ts), so every figure is marked unconfirmed.
 * A catalog type not here has no sourced eu-west-1 price (docs/catalogs.md, "Prices", lists them);
 * no CPU type is here.
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
];
