import { familyPrices, type Ec2OnDemandPrice } from './ec2-price-row.js';
import { skypilotCopy } from './ec2-cpu-regional-price-copy.js';
import { vantageCopy } from './ec2-regional-price-copy.js';

/**
 * On-demand Linux prices per hour, ap-northeast-1: the GPU types commonly rented for training, read from a dated third
 * party's copy of the Price List (ec2-regional-price-copy.ts), and the CPU families t3, m5, c5 and c6i (metal sizes
 * aside), read from SkyPilot's copy (ec2-cpu-regional-price-copy.ts); every figure is marked unconfirmed. A catalog
 * type not here has no sourced ap-northeast-1 price (docs/catalogs.md, "Prices", lists them).
 */
export const EC2_ON_DEMAND_PRICES_AP_NORTHEAST_1: readonly Ec2OnDemandPrice[] = [
  ...familyPrices('g4dn', vantageCopy('ap-northeast-1', 'g4dn'), [
    ['xlarge', 0.71],
    ['2xlarge', 1.015],
    ['4xlarge', 1.625],
    ['8xlarge', 2.938],
    ['12xlarge', 5.281],
    ['16xlarge', 5.875],
    ['metal', 10.562],
  ]),
  ...familyPrices('g5', vantageCopy('ap-northeast-1', 'g5'), [
    ['xlarge', 1.459],
    ['2xlarge', 1.75776],
    ['4xlarge', 2.35528],
    ['8xlarge', 3.55033],
    ['12xlarge', 8.22609],
    ['16xlarge', 5.94042],
    ['24xlarge', 11.81123],
    ['48xlarge', 23.62246],
  ]),
  ...familyPrices('g6', vantageCopy('ap-northeast-1', 'g6'), [
    ['xlarge', 1.1672],
    ['2xlarge', 1.41781],
    ['4xlarge', 1.91903],
    ['8xlarge', 2.92148],
    ['12xlarge', 6.67369],
    ['16xlarge', 4.92637],
    ['24xlarge', 9.68103],
    ['48xlarge', 19.36206],
  ]),
  ...familyPrices('g6e', vantageCopy('ap-northeast-1', 'g6e'), [
    ['xlarge', 2.699],
    ['2xlarge', 3.25168],
    ['4xlarge', 4.35703],
    ['8xlarge', 6.56775],
    ['12xlarge', 15.21742],
    ['16xlarge', 10.98917],
    ['24xlarge', 21.84956],
    ['48xlarge', 43.69912],
  ]),
  ...familyPrices('p3', vantageCopy('ap-northeast-1', 'p3'), [
    ['2xlarge', 4.194],
    ['8xlarge', 16.776],
    ['16xlarge', 33.552],
  ]),
  ...familyPrices('p3dn', vantageCopy('ap-northeast-1', 'p3dn'), [['24xlarge', 42.783]]),
  ...familyPrices('p4d', vantageCopy('ap-northeast-1', 'p4d'), [['24xlarge', 30.09784]]),
  ...familyPrices('p4de', vantageCopy('ap-northeast-1', 'p4de'), [['24xlarge', 37.6223]]),
  ...familyPrices('p5', vantageCopy('ap-northeast-1', 'p5'), [
    ['4xlarge', 8.6],
    ['48xlarge', 68.8],
  ]),
  ...familyPrices('p5en', vantageCopy('ap-northeast-1', 'p5en'), [['48xlarge', 79.12]]),
  // CPU families, from SkyPilot's copy (ec2-cpu-regional-price-copy.ts).
  ...familyPrices('t3', skypilotCopy('ap-northeast-1'), [
    ['nano', 0.0068],
    ['micro', 0.0136],
    ['small', 0.0272],
    ['medium', 0.0544],
    ['large', 0.1088],
    ['xlarge', 0.2176],
    ['2xlarge', 0.4352],
  ]),
  ...familyPrices('m5', skypilotCopy('ap-northeast-1'), [
    ['large', 0.124],
    ['xlarge', 0.248],
    ['2xlarge', 0.496],
    ['4xlarge', 0.992],
    ['8xlarge', 1.984],
    ['12xlarge', 2.976],
    ['16xlarge', 3.968],
    ['24xlarge', 5.952],
  ]),
  ...familyPrices('c5', skypilotCopy('ap-northeast-1'), [
    ['large', 0.107],
    ['xlarge', 0.214],
    ['2xlarge', 0.428],
    ['4xlarge', 0.856],
    ['9xlarge', 1.926],
    ['12xlarge', 2.568],
    ['18xlarge', 3.852],
    ['24xlarge', 5.136],
  ]),
  ...familyPrices('c6i', skypilotCopy('ap-northeast-1'), [
    ['large', 0.107],
    ['xlarge', 0.214],
    ['2xlarge', 0.428],
    ['4xlarge', 0.856],
    ['8xlarge', 1.712],
    ['12xlarge', 2.568],
    ['16xlarge', 3.424],
    ['24xlarge', 5.136],
    ['32xlarge', 6.848],
  ]),
];
