import { object, optional } from '../schema/object-type.js';
import { text } from '../schema/scalar-types.js';
import type { Infer } from '../schema/schema-type.js';

/** `backends.vertex` in job.yaml: a Vertex AI custom training job on Google Cloud. */
export const vertexOptions = object(
  {
    project: optional(
      text({
        description: 'Google Cloud project id. Default: the Application Default Credentials project.',
        expected: 'a project id (6-30 lowercase letters, digits, hyphens, starting with a letter)',
        pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
      }),
    ),
    region: optional(
      text({
        description: 'Vertex AI region, e.g. us-central1.',
        expected: 'a region like us-central1',
        pattern: /^[a-z]+-[a-z]+[0-9]+$/,
      }),
    ),
    machine_type: optional(
      text({
        description: 'Machine type, e.g. n1-standard-4. Default: derived from resources.',
        expected: 'a machine type like n1-standard-4',
        pattern: /^[a-z][a-z0-9]*-[a-z0-9-]+$/,
      }),
    ),
    accelerator_type: optional(
      text({
        description: 'Accelerator type, e.g. NVIDIA_TESLA_T4. Default: derived from resources.gpu.',
        expected: 'an accelerator type like NVIDIA_TESLA_T4',
        pattern: /^[A-Z][A-Z0-9_]*$/,
      }),
    ),
    container_image: optional(
      text({
        description: 'Training container image. Default: a prebuilt Vertex AI training image for the framework.',
        maxLength: 1024,
      }),
    ),
    staging_bucket: optional(
      text({
        description: 'Cloud Storage location for code staging and outputs, e.g. gs://my-bucket/dlrun.',
        expected: 'a Cloud Storage location like gs://my-bucket/dlrun',
        pattern: /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](\/.*)?$/,
      }),
    ),
    service_account: optional(
      text({
        description: "Service account the job runs as. Default: the project's Vertex AI service agent.",
        expected: 'a service account email',
        pattern: /^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$|^[^@\s]+@developer\.gserviceaccount\.com$/,
      }),
    ),
  },
  { description: 'Settings for the vertex backend (Google Cloud Vertex AI custom jobs).' },
);

export type VertexOptions = Infer<typeof vertexOptions>;
