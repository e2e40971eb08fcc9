import os from 'node:os';
import { DlrunError, UsageError } from '../base/errors.js';
import type { BackendCapabilities } from '../backend/capabilities.js';
import type { Config } from '../config.js';
import type { StoredJob } from '../ledger/ledger.js';
import { isBackendName } from '../spec/backend-names.js';
import { capabilitiesOf } from './backends.js';

/** The longest owner name kept: a name, not a document. */
export const MAX_OWNER_LENGTH = 64;

/** The owner of a job whose launcher dlrun could not name (no `DLRUN_USER` and no OS user to read). */
export const UNKNOWN_OWNER = 'unknown';

/** C0 and C1 controls, DEL, and the bidirectional marks and overrides that can make text read other than it is. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Who launches a job from this process, and from which host, as the ledger records them. */
export interface JobOwner {
  readonly owner: string;
  readonly host: string;
}

/**
 * `DLRUN_USER` (from the shell, or the `.env` of a folder the user has allowed: an untrusted `.env` never names the
 * owner, src/trust/dotenv-rules.ts), else the OS user, else `unknown`; the host is this machine's name. A
 * `DLRUN_USER` that is empty, too long or holds a control character is refused, never stored: it is shown on other
 * people's terminals (`status` of a team ledger).
 */
export function jobOwner(config: Pick<Config, 'env'>): JobOwner {
  return { owner: ownerName(config), host: thisHost() };
}

export function ownerName(config: Pick<Config, 'env'>): string {
  const named = config.env.DLRUN_USER;
  // Empty is unset, as for every other setting.
  if (named !== undefined && named !== '') {
    const problem = ownerProblem(named.trim());
    // The value is never repeated: it may be what is wrong with it.
    if (problem !== undefined)
      throw new DlrunError(`DLRUN_USER ${problem}`, { hint: "set DLRUN_USER to a plain name such as 'alice'" });
    return named.trim();
  }
  let user: string | undefined;
  try {
    user = os.userInfo().username;
  } catch {
    // No user of that uid (a container run with an arbitrary uid): nobody to name.
  }
  return user !== undefined && ownerProblem(user) === undefined ? user : UNKNOWN_OWNER;
}

/** An owner name given on the command line (`status --owner NAME`): trimmed, or a usage error saying what is wrong. */
export function ownerFlag(text: string, flag: string): string {
  const problem = ownerProblem(text.trim());
  if (problem !== undefined) throw new UsageError(`${flag} ${problem}: give the name jobs were launched under`);
  return text.trim();
}

function ownerProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (UNPRINTABLE.test(name)) return 'holds a control character';
  if (name.length > MAX_OWNER_LENGTH) return `is longer than ${MAX_OWNER_LENGTH} characters`;
  return undefined;
}

/** This machine's name, as jobs launched here record their host. */
export function thisHost(): string {
  return os.hostname();
}

/**
 * The host a job can only be reached from, when that is not this one: a job of a backend whose jobs live on the
 * host that launched them (capabilities.jobsLiveOnHost), recorded from another host. Undefined when this machine
 * can reach it (any other backend, a job launched here, or one recorded before hosts were).
 */
export function elsewhereHost(
  job: Pick<StoredJob, 'host'>,
  capabilities: Pick<BackendCapabilities, 'jobsLiveOnHost'>,
): string | undefined {
  if (!capabilities.jobsLiveOnHost.supported || job.host === null) return undefined;
  return job.host === thisHost() ? undefined : job.host;
}

/** `elsewhereHost` for a stored job, its capabilities read from the registry (a backend it does not know: none). */
export async function onlyReachableFrom(job: Pick<StoredJob, 'backend' | 'host'>): Promise<string | undefined> {
  if (job.host === null || !isBackendName(job.backend)) return undefined;
  return elsewhereHost(job, await capabilitiesOf(job.backend));
}

/**
 * Refuse to act on a job that only its own host can reach: `what` says what cannot be done here ("it can be
 * cancelled", "its logs can be read"). Exit 1, the host named, no stack.
 */
export async function refuseIfElsewhere(
  job: Pick<StoredJob, 'jobId' | 'backend' | 'host'>,
  what: string,
): Promise<void> {
  const host = await onlyReachableFrom(job);
  if (host === undefined) return;
  throw new DlrunError(
    `${job.jobId} was launched on host ${host}: ${what} only from ${host} ` +
      `(${job.backend} jobs live on the host that launched them; this is ${thisHost()})`,
    { hint: `run this command on ${host}` },
  );
}
