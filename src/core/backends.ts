import { DlrunError } from '../base/errors.js';
import type { BackendCapabilities } from '../backend/capabilities.js';
import type { BackendModule, TrainingBackend } from '../backend/training-backend.js';
import type { BackendPricing, QuoteRules } from '../cost/backend-pricing.js';
import type { PriceRefresher } from '../cost/price-refresh.js';
import type { BackendValidation } from '../validate/rule.js';
import { BACKEND_NAMES, type BackendName } from '../spec/backend-names.js';

/**
 * What a backend's folder hands the registry (`adapters/<name>/<name>-registration.ts`), each part loaded with
 * `await import` when first needed, so `dlrun --help`, `validate` and the local backend never load a cloud SDK.
 * Capabilities are plain data, cheap to load, for checks before any call.
 */
export interface BackendRegistration {
  readonly capabilities: () => Promise<BackendCapabilities>;
  /** Its part of the validator (rules, machine names, image commands): offline, no cloud SDK. */
  readonly validation: () => Promise<BackendValidation>;
  /** Its price and bill rules (offline, no cloud SDK); absent while this version has no price catalog for it. */
  readonly pricing?: () => Promise<BackendPricing>;
  /** The same rules without the bill's (`QuoteRules`), lighter to load, for `quote`; absent: `pricing` serves. */
  readonly quoting?: () => Promise<QuoteRules>;
  /**
   * Its price refresh (`dlrun prices refresh`), which loads its cloud SDK: absent when the backend has no price API
   * to read. Reading the snapshot it writes is `pricing`'s, and loads no SDK.
   */
  readonly priceRefresh?: () => Promise<PriceRefresher>;
  /** The adapter; absent while this version of dlrun cannot launch on the backend. */
  readonly adapter?: () => Promise<BackendModule>;
}

/**
 * The one table from a backend's name to its folder: the only file that names every adapter, one line each
 * (docs/adding-a-backend.md). The compiler checks each folder's registration against BackendRegistration.
 */
const REGISTRY: Readonly<Record<BackendName, () => Promise<{ readonly registration: BackendRegistration }>>> = {
  local: () => import('../../adapters/local/local-registration.js'),
  ec2: () => import('../../adapters/ec2/ec2-registration.js'),
  vertex: () => import('../../adapters/vertex/vertex-registration.js'),
  rescale: () => import('../../adapters/rescale/rescale-registration.js'),
};

async function registrationOf(name: BackendName): Promise<BackendRegistration> {
  return (await REGISTRY[name]()).registration;
}

export function backendNames(): readonly BackendName[] {
  return BACKEND_NAMES;
}

export async function capabilitiesOf(name: BackendName): Promise<BackendCapabilities> {
  return (await registrationOf(name)).capabilities();
}

export async function validationOf(name: BackendName): Promise<BackendValidation> {
  return (await registrationOf(name)).validation();
}

/** Whether the registry has an adapter for the backend (a test holds every such adapter to the conformance suite). */
export async function canLaunch(name: BackendName): Promise<boolean> {
  return (await registrationOf(name)).adapter !== undefined;
}

/** The backend's adapter, or a user-facing error saying why this version cannot launch on it. */
export async function loadBackend(name: BackendName): Promise<TrainingBackend> {
  const entry = await registrationOf(name);
  if (!entry.adapter) {
    const capabilities = await entry.capabilities();
    const reason = capabilities.launch.supported ? 'it has no adapter' : capabilities.launch.reason;
    throw new DlrunError(`cannot launch on ${name}: ${reason}`, {
      hint: "'dlrun check' lists what each backend can do",
    });
  }
  return (await entry.adapter()).createBackend();
}

/** Whether the registry has price rules for the backend. */
export async function canPrice(name: BackendName): Promise<boolean> {
  return (await registrationOf(name)).pricing !== undefined;
}

/** The backend's price rules, or undefined when this version has none for it (the validator's money floors). */
export async function pricingIfAny(name: BackendName): Promise<BackendPricing | undefined> {
  const { pricing } = await registrationOf(name);
  return pricing ? pricing() : undefined;
}

/** The backend's price and bill rules, or a user-facing error saying this version has no prices for it. */
export async function pricingOf(name: BackendName): Promise<BackendPricing> {
  const { pricing } = await registrationOf(name);
  if (!pricing) {
    throw new DlrunError(`this version of dlrun has no price catalog for ${name} yet`, {
      hint: "'dlrun quote --backend local' prices the job on this machine",
    });
  }
  return pricing();
}

/** The backend's price rules as a quote reads them (its `quoting` where it has one), or `pricingOf`'s error. */
export async function quoteRulesOf(name: BackendName): Promise<QuoteRules> {
  const { quoting } = await registrationOf(name);
  return quoting ? quoting() : pricingOf(name);
}

/** Whether the backend's prices can be fetched from its provider (`dlrun prices refresh`). */
export async function canRefreshPrices(name: BackendName): Promise<boolean> {
  return (await registrationOf(name)).priceRefresh !== undefined;
}

/** The backend's price refresh, or a user-facing error saying it has none. */
export async function priceRefresherOf(name: BackendName): Promise<PriceRefresher> {
  const { priceRefresh } = await registrationOf(name);
  if (!priceRefresh) {
    throw new DlrunError(`${name} has no price API for dlrun to read`, {
      hint: "'dlrun prices show' lists the backends whose prices can be refreshed",
    });
  }
  return priceRefresh();
}
