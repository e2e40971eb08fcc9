/**
 * Where `dlrun check` finds Google Cloud credentials, in the order Google's clients look: GOOGLE_OAUTH_ACCESS_TOKEN,
 * the key file of GOOGLE_APPLICATION_CREDENTIALS, gcloud's application default credentials, the metadata server.
 * A file is read for its kind and account only; no token or key is ever shown.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DlrunError } from '../../src/base/errors.js';
import { networkTimeoutMs } from '../../src/backend/network-deadline.js';
import type { BackendContext, CheckItem } from '../../src/backend/training-backend.js';
import { readRegularFile } from '../../src/util/read-regular-file.js';
import { googleError, said } from './vertex-errors.js';
import { aiplatformSdk } from './vertex-sdk.js';
import { nonEmpty } from './vertex-setting-text.js';

/** The fields of a credentials file a check shows: its kind and account, never its key or token. */
interface CredentialsFile {
  readonly type?: unknown;
  readonly client_email?: unknown;
}

/** A key file is a few KB; anything much larger is not one (and is not read whole). */
const MAX_CREDENTIALS_BYTES = 1 << 20;
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
const HOW_TO_GET_CREDENTIALS =
  'run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS to a key file, or set ' +
  'GOOGLE_OAUTH_ACCESS_TOKEN to `gcloud auth print-access-token`';

/** Where the credentials come from, in the order Google's clients look; a file is read for its kind only. */
export async function credentialsItem(context: BackendContext): Promise<CheckItem> {
  const env = context.env;
  const check = 'credentials';
  if (nonEmpty(env.GOOGLE_OAUTH_ACCESS_TOKEN) !== undefined) {
    return {
      check,
      ok: true,
      detail:
        `an access token in GOOGLE_OAUTH_ACCESS_TOKEN (${sourceOf(context, 'GOOGLE_OAUTH_ACCESS_TOKEN')}); dlrun ` +
        'cannot renew it, and such tokens last an hour',
      required: true,
    };
  }
  const keyFile = nonEmpty(env.GOOGLE_APPLICATION_CREDENTIALS);
  if (keyFile !== undefined) {
    return credentialsFileItem(
      keyFile,
      `GOOGLE_APPLICATION_CREDENTIALS (${sourceOf(context, 'GOOGLE_APPLICATION_CREDENTIALS')})`,
      "check GOOGLE_APPLICATION_CREDENTIALS, or unset it to use gcloud's credentials",
    );
  }
  // Where google-auth-library looks next (on Linux and macOS): gcloud's application default credentials.
  const home = nonEmpty(env.HOME) ?? os.homedir();
  const gcloudFile = path.join(home, '.config', 'gcloud', 'application_default_credentials.json');
  if (existsSync(gcloudFile)) {
    return credentialsFileItem(
      gcloudFile,
      "gcloud's application default credentials",
      'run `gcloud auth application-default login` again',
    );
  }
  return metadataServerItem(context);
}

function credentialsFileItem(file: string, named: string, fix: string): CheckItem {
  const check = 'credentials';
  const read = readRegularFile(file, { maxBytes: MAX_CREDENTIALS_BYTES });
  if (!read.ok) {
    return {
      check,
      ok: false,
      detail: `${file} (${named}) cannot be read (${read.detail}): ${fix}`,
      required: true,
    };
  }
  let content: CredentialsFile;
  try {
    content = JSON.parse(read.bytes.toString('utf8')) as CredentialsFile;
  } catch {
    return { check, ok: false, detail: `${file} (${named}) is not JSON: ${fix}`, required: true };
  }
  return { check, ok: true, detail: `${kindOf(content)}, from ${file} (${named})`, required: true };
}

/** What a credentials file holds, in words: its `type` and, for a service account, whose it is. */
function kindOf(content: CredentialsFile): string {
  const type = typeof content.type === 'string' ? content.type : '';
  if (type === 'service_account')
    return `the service account ${typeof content.client_email === 'string' ? content.client_email : '(no email)'}`;
  if (type === 'authorized_user') return 'your user account (gcloud auth application-default login)';
  if (type === 'external_account') return 'workload identity federation (an external account)';
  if (type === 'impersonated_service_account') return 'an impersonated service account';
  return type ? `credentials of type ${type}` : 'credentials of no stated type';
}

/**
 * No token and no file: Google's clients then ask the metadata server, which only machines on Google Cloud have.
 * One attempt to get a token from it, within the deadline, says whether there is one.
 */
async function metadataServerItem(context: BackendContext): Promise<CheckItem> {
  const check = 'credentials';
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeoutMs = networkTimeoutMs(context.env);
    const { auth } = aiplatformSdk();
    const client = new auth.GoogleAuth({
      scopes: [CLOUD_PLATFORM],
      clientOptions: { transporterOptions: { timeout: timeoutMs } },
    });
    await Promise.race([
      client.getAccessToken(),
      new Promise<never>((_, reject) => {
        const waited = `${timeoutMs / 1000} s`;
        const none = `no Google Cloud credentials were found, and no metadata server answered within ${waited}`;
        timer = setTimeout(() => reject(new DlrunError(none, { hint: HOW_TO_GET_CREDENTIALS })), timeoutMs);
      }),
    ]);
    return {
      check,
      ok: true,
      detail: 'the metadata server of this Google Cloud machine (its service account)',
      required: true,
    };
  } catch (error) {
    return {
      check,
      ok: false,
      detail: said(googleError(error, 'looking for Google Cloud credentials')),
      required: true,
    };
  } finally {
    clearTimeout(timer);
  }
}

export function sourceOf(context: BackendContext, name: string): string {
  return context.fromDotenv?.has(name) ? '.env' : 'your shell';
}
