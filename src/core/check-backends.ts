import { asLedgerId, type LedgerId } from '../backend/job-id.js';
import type { Config } from '../config.js';
import { openExistingLedger } from '../ledger/open-ledger.js';
import type { BackendName } from '../spec/backend-names.js';
import type { CheckItem } from '../backend/training-backend.js';
import { backendContext } from './backend-context.js';
import { canLaunch, capabilitiesOf, loadBackend } from './backends.js';
import { endpointSentence, foreignEndpoints } from './foreign-endpoints.js';

export type { CheckItem } from '../backend/training-backend.js';

export interface BackendCheck {
  readonly backend: BackendName;
  readonly usable: boolean;
  readonly checks: readonly CheckItem[];
}

/** Whether a backend can be used from here, and why not: `dlrun check`. */
export async function checkBackend(name: BackendName, config: Config): Promise<BackendCheck> {
  const capabilities = await capabilitiesOf(name);
  const checks: CheckItem[] = [
    capabilities.launch.supported
      ? { check: 'launch', ok: true, detail: 'this version of dlrun can launch jobs here', required: true }
      : { check: 'launch', ok: false, detail: capabilities.launch.reason, required: true },
  ];
  checks.push(await ledgerCheck(config));
  if (await canLaunch(name)) {
    const backend = await loadBackend(name);
    const context = backendContext(config, await ledgerIdOrPlaceholder(config));
    // Said before any answer of the provider: the answers below come from there.
    checks.push(
      ...foreignEndpoints(backend, context).map((endpoint) => ({
        check: 'endpoint',
        ok: false,
        detail: endpointSentence(endpoint),
        required: false,
      })),
    );
    if (backend.check) checks.push(...(await backend.check(context)));
  }
  return { backend: name, usable: checks.every((item) => item.ok || !item.required), checks };
}

async function ledgerCheck(config: Config): Promise<CheckItem> {
  try {
    const ledger = await openExistingLedger(config);
    if (!ledger)
      return {
        check: 'ledger',
        ok: true,
        detail: `none yet; created in ${config.home} by the first submit`,
        required: true,
      };
    const detail = `${ledger.location} (ledger id ${ledger.id}, ${await ledger.countJobs()} jobs)`;
    await ledger.close();
    return { check: 'ledger', ok: true, detail, required: true };
  } catch (error) {
    return { check: 'ledger', ok: false, detail: (error as Error).message, required: true };
  }
}

/** The ledger's id for tags in checks, without creating a ledger just to check. */
async function ledgerIdOrPlaceholder(config: Config): Promise<LedgerId> {
  const ledger = await openExistingLedger(config).catch(() => undefined);
  const id = ledger?.id ?? asLedgerId('not-created-yet');
  await ledger?.close();
  return id;
}
