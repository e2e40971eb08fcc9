import { numeric, text } from '../schema/scalar-types.js';
import { object, optional } from '../schema/object-type.js';
import type { Infer } from '../schema/schema-type.js';

/** The Rescale platforms (regions) users sign up on; each has its own API host and account. */
export const RESCALE_PLATFORMS = [
  'https://platform.rescale.com',
  'https://eu.rescale.com',
  'https://kr.rescale.com',
  'https://platform.rescale.jp',
  'https://itar.rescale.com',
  'https://itar.rescale-gov.com',
] as const;

/** `backends.rescale` in job.yaml: a Rescale job on a core type. */
export const rescaleOptions = object(
  {
    core_type: optional(
      text({
        description: 'Rescale core type code, e.g. emerald. Default: derived from resources.',
        expected: 'a core type code like emerald',
        pattern: /^[a-z][a-z0-9_-]*$/,
      }),
    ),
    cores: optional(numeric({ description: 'Number of cores to request.', integer: true, minimum: 1 })),
    platform: optional(
      text({
        description:
          `Rescale platform URL: ${RESCALE_PLATFORMS.join(', ')}. ` +
          `Default: RESCALE_PLATFORM_URL or ${RESCALE_PLATFORMS[0]}.`,
        expected: 'a Rescale platform URL like https://platform.rescale.com',
        pattern: /^https:\/\/[a-z0-9.-]+(:[0-9]+)?\/?$/,
        examples: [...RESCALE_PLATFORMS],
      }),
    ),
  },
  { description: 'Settings for the rescale backend.' },
);

export type RescaleOptions = Infer<typeof rescaleOptions>;
