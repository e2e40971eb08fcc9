/**
 * Which settings dlrun takes from the `.env` of a folder the user has not allowed (`dlrun allow`). A `.env` comes
 * with the folder, and the folder may be a repository cloned a minute ago: what it says is data, not orders. An
 * allowlist, not a denylist: a setting nobody thought of is not taken.
 *
 * Declared `secrets` of a job are read from any `.env` too (src/core/secrets.ts): the job's own code, from the same
 * folder, could send them anywhere already, so reading them adds no route.
 */

/**
 * dlrun's own settings that change how patient or how talkative dlrun is on this machine, never what it trusts,
 * where it sends anything or what it runs.
 */
const HARMLESS_SETTINGS: ReadonlySet<string> = new Set([
  'NO_COLOR',
  'DLRUN_LEDGER_TIMEOUT_MS',
  'DLRUN_WATCH_INTERVAL_MS',
  'DLRUN_LOCAL_LOG_LIMIT_BYTES',
  'DLRUN_LOCAL_STOP_GRACE_MS',
]);

/**
 * Which of a provider's own regions or projects to use: a project's `.env` naming its region is the common case.
 * Taken only when the value looks like such a name, because a region becomes part of a host name
 * (`ec2.<region>.amazonaws.com`) and a project part of a URL path: `evil.example#` must not pass.
 */
const PLACE_NAMES: Readonly<Record<string, RegExp>> = {
  AWS_REGION: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
  AWS_DEFAULT_REGION: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
  GOOGLE_CLOUD_PROJECT: /^([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
};

/** Whether dlrun takes this value from the `.env` of a folder the user has not allowed. */
export function takenFromAnyDotenv(name: string, value: string): boolean {
  if (HARMLESS_SETTINGS.has(name)) return true;
  const shape = Object.hasOwn(PLACE_NAMES, name) ? PLACE_NAMES[name] : undefined;
  return shape?.test(value) === true;
}

/**
 * Settings dlrun, or a cloud SDK it loads, would act on if it took them: these are the ones a user is told were
 * ignored (by name, never by value). Anything else in `.env` is read only as a job's declared secret, so ignoring it
 * changes nothing, and naming it on every command would only teach users to allow folders to silence dlrun.
 */
export function actedOnByDlrun(name: string): boolean {
  return ORDER_GROUPS.some((group) => group.test(name));
}

const ORDER_GROUPS: readonly RegExp[] = [
  // Credentials and their sources: who you are to a provider, and which program runs to find out (an AWS config
  // file with a credential_process runs any command it names).
  /^(AWS|GOOGLE|GCLOUD|CLOUDSDK|RESCALE)_/,
  // Endpoints: where requests go, with your credentials and the job's secrets in them.
  /_ENDPOINT_URL/,
  // dlrun's own places and choices: where the ledger and the trust list live (DLRUN_HOME), the team ledger's URL,
  // the image a job runs on, the endpoints of its backends (DLRUN_*_URL).
  /^DLRUN_/,
  // Proxies and certificate authorities: they can read and change every request.
  /^(HTTPS?|ALL|NO|FTP)_PROXY$/i,
  /^(SSL_CERT_(FILE|DIR)|NODE_EXTRA_CA_CERTS|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE)$/,
  // What programs run and how: the commands found on PATH (the validator's bash, python3, shellcheck), the home
  // folder the SDKs read ~/.aws from, and variables that load code into Node, bash or python as they start.
  /^(PATH|HOME|SHELL|ENV|BASH_ENV|TMPDIR|IFS|CDPATH|GLOBIGNORE|PS4|SHELLOPTS|BASHOPTS)$/,
  /^(NODE_|LD_|DYLD_|PYTHON|BASH_FUNC_)/,
];
