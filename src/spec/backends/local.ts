import { numeric } from '../schema/scalar-types.js';
import { object, optional } from '../schema/object-type.js';
import type { Infer } from '../schema/schema-type.js';

const OWNERSHIP_PAIRS = [
  ['purchase_price', 'lifetime_years'],
  ['power_watts', 'kwh_price'],
] as const;

/**
 * `backends.local` in job.yaml: what an hour of this machine costs its owner, either as one `hourly_rate` or
 * from the purchase price spread over its lifetime plus the electricity it draws.
 */
export const localOptions = object(
  {
    hourly_rate: optional(
      numeric({ description: 'What an hour of this machine costs you, in US dollars.', minimum: 0 }),
    ),
    purchase_price: optional(numeric({ description: 'What the machine cost to buy, in US dollars.', minimum: 0 })),
    lifetime_years: optional(numeric({ description: 'Years the machine is written off over.', exclusiveMinimum: 0 })),
    power_watts: optional(numeric({ description: 'Power the machine draws while training, in watts.', minimum: 0 })),
    kwh_price: optional(numeric({ description: 'Electricity price, US dollars per kWh.', minimum: 0 })),
  },
  {
    description: 'Settings for the local backend (this machine).',
    refine(value, report) {
      const ownership = OWNERSHIP_PAIRS.flat().filter((name) => value[name] !== undefined);
      if (value.hourly_rate !== undefined && ownership.length > 0) {
        report(
          'hourly_rate',
          `give either hourly_rate or the cost of owning the machine (${ownership.join(', ')}), not both`,
        );
      }
      for (const [first, second] of OWNERSHIP_PAIRS) {
        if ((value[first] === undefined) !== (value[second] === undefined)) {
          const given = value[first] === undefined ? second : first;
          const missing = given === first ? second : first;
          report(given, `${given} needs ${missing} too`, `add ${missing} under backends.local`);
        }
      }
    },
  },
);

export type LocalOptions = Infer<typeof localOptions>;
