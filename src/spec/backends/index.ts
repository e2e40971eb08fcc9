import { object, optional } from '../schema/object-type.js';
import type { Infer } from '../schema/schema-type.js';
import { ec2Options } from './ec2.js';
import { localOptions } from './local.js';
import { rescaleOptions } from './rescale.js';
import { vertexOptions } from './vertex.js';

export { BACKEND_NAMES, isBackendName, type BackendName } from '../backend-names.js';

/** Each backend's block schema, by backend name. */
export const BACKEND_OPTIONS = {
  local: localOptions,
  ec2: ec2Options,
  vertex: vertexOptions,
  rescale: rescaleOptions,
} as const;

/** `backends:` in job.yaml; each backend validates its own block. */
export const backendBlocks = object(
  {
    local: optional(localOptions),
    ec2: optional(ec2Options),
    vertex: optional(vertexOptions),
    rescale: optional(rescaleOptions),
  },
  { description: 'Per-backend settings; each backend validates its own block.' },
);

export type BackendBlocks = Infer<typeof backendBlocks>;
