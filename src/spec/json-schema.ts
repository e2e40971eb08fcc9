import { jobSchema } from './job-schema.js';
import type { JsonSchema } from './schema/schema-type.js';

/** The JSON Schema of job.yaml, generated from the same schema objects the loader parses with. */
export function jobJsonSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:dlrun:job-file:v1',
    title: 'dlrun job file (job.yaml)',
    ...jobSchema.jsonSchema(),
  };
}
