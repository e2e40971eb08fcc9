/**
 * A job's secrets on Vertex AI. containerSpec.env is part of the CustomJob, which Vertex keeps and shows to anyone
 * who may read the job (the console, `gcloud ai custom-jobs describe`), so no value may go there. Instead submit
 * writes them as one object of the staging bucket (jobObjects().secrets, a JSON object of names and values), the
 * bootstrap gets only its name (DLRUN_BOOT_SECRETS_OBJECT), reads it with the job's service account before the job
 * starts and gives each value to the job as a variable; the object is deleted once the job has ended (every replica
 * reads it, so none of them may delete it). Bucket permissions decide who may read it meanwhile [U: object-level
 * access is not narrowed further].
 */
import { DlrunError, ProviderError } from '../../src/base/errors.js';
import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import { JOB_ID_TAG, LEDGER_TAG } from '../../src/backend/tags.js';
import type { VertexClients } from './vertex-clients.js';
import { jobObjects, stagingOf, type VertexJobDetails } from './vertex-details.js';
import { google, googleError } from './vertex-errors.js';
import { gsUrl } from './vertex-staging.js';

/** What a variable name may be, as the job file's `secrets` and `env` allow (src/spec/job-schema.ts). */
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

type SecretsClients = Pick<VertexClients, 'storage' | 'storageDeadline'>;
type SecretsPlace = Pick<VertexJobDetails, 'bucket' | 'prefix'>;

/**
 * Writes the job's secrets (`values`: name -> value) as its secrets object, labelled as every object of the job, in
 * one request (a resumable upload would leave a session URL that can finish the write). A name that is not a
 * variable name is refused before anything is written. Resolves with the object's name, for
 * DLRUN_BOOT_SECRETS_OBJECT.
 */
export async function stageSecrets(
  clients: SecretsClients,
  details: SecretsPlace,
  ledgerId: LedgerId,
  jobId: JobId,
  values: Readonly<Record<string, string>>,
): Promise<string> {
  for (const name of Object.keys(values)) {
    if (!VARIABLE.test(name))
      throw new DlrunError(`the secret '${name}' is not a variable name, so the job could not be given it`, {
        hint: 'name secrets with letters, digits and _, not starting with a digit',
      });
  }
  const location = stagingOf(details);
  const name = jobObjects(details, ledgerId, jobId).secrets;
  try {
    await clients.storage
      .bucket(location.bucket)
      .file(name)
      .save(JSON.stringify(values), {
        resumable: false,
        contentType: 'application/json',
        metadata: { cacheControl: 'no-store', metadata: { [JOB_ID_TAG]: jobId, [LEDGER_TAG]: ledgerId } },
      });
  } catch (error) {
    throw withoutRequest(
      googleError(error, `writing the job's secrets to ${gsUrl(location, name)}`, clients.storageDeadline),
    );
  }
  return name;
}

/** Removes the job's secrets object; one that is gone already (deleted before, never written) is no error. */
export async function deleteSecrets(
  clients: SecretsClients,
  details: SecretsPlace,
  ledgerId: LedgerId,
  jobId: JobId,
): Promise<void> {
  const location = stagingOf(details);
  const name = jobObjects(details, ledgerId, jobId).secrets;
  await google(
    `deleting the job's secrets ${gsUrl(location, name)}`,
    () => clients.storage.bucket(location.bucket).file(name).delete({ ignoreNotFound: true }),
    clients.storageDeadline,
  );
}

/**
 * The error without its cause: a client's error keeps the request it sent, body and all, and the body is the
 * secrets. The message, code and hint say all the user needs.
 */
function withoutRequest(error: unknown): Error {
  if (error instanceof ProviderError)
    return new ProviderError(error.message, error.providerCode, {
      retryable: error.isRetryable,
      ...(error.hint ? { hint: error.hint } : {}),
    });
  const code = (error as { code?: unknown } | undefined)?.code;
  return new ProviderError(
    `writing the job's secrets failed${typeof code === 'string' ? ` (${code})` : ''}`,
    undefined,
  );
}

/**
 * deleteSecrets for a job whose details say it has secrets, once no node will read them again (the job ended or is
 * being cancelled). Never fails the caller (status, cancel): an object left behind is removed by `dlrun gc`.
 */
export async function deleteJobSecrets(
  clients: SecretsClients,
  details: SecretsPlace & Pick<VertexJobDetails, 'secrets'>,
  ledgerId: LedgerId,
  jobId: JobId,
): Promise<void> {
  if (!details.secrets || !details.bucket) return;
  await deleteSecrets(clients, details, ledgerId, jobId).catch(() => undefined);
}
