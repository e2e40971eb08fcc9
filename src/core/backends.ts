import { DlrunError } from '../base/errors.js';
import type { BackendCapabilities } from '../backend/capabilities.js';
import type { BackendModule, TrainingBackend } from '../backend/training-backend.js';
import type { BackendPricing } from '../cost/backend-pricing.js';
import type { BackendValidation } from '../validate/rule.js';
import { BACKEND_NAMES, type BackendName } from '../spec/backend-names.js';

/**
 * The one table from a backend's name to its adapter: the only file that knows every adapter. Everything is
 * loaded with `await import` when first needed, so `dlrun --help`, `validate` and the local backend never load
 * a cloud SDK. Capabilities are plain data in a module of their own, cheap to load, for checks before any call.
 */
interface BackendEntry {
  readonly capabilities: () => Promise<BackendCapabilities>;
  /** Its part of the validator (rules, machine names, image commands): offline, no cloud SDK. */
  readonly validation: () => Promise<BackendValidation>;
  /** The adapter; absent while this version of dlrun cannot launch on the backend. */
  readonly adapter?: () => Promise<BackendModule>;
  /** Its price and bill rules (offline, no cloud SDK); absent while this version has no price catalog for it. */
  readonly pricing?: () => Promise<BackendPricing>;
}

const REGISTRY: Readonly<Record<BackendName, BackendEntry>> = {
  local: {
    capabilities: async () => (await import('../../adapters/local/local-capabilities.js')).localCapabilities,
    validation: async () => (await import('../../adapters/local/local-validation.js')).localValidation,
    adapter: () => import('../../adapters/local/local-backend.js'),
    pricing: async () => (await import('../../adapters/local/local-rate.js')).localPricing,
  },
  ec2: {
    capabilities: async () => (await import('../../adapters/ec2/ec2-capabilities.js')).ec2Capabilities,
    validation: async () => (await import('../../adapters/ec2/ec2-validation.js')).ec2Validation,
    adapter: () => import('../../adapters/ec2/ec2-backend.js'),
    pricing: async () => (await import('../../adapters/ec2/ec2-pricing.js')).ec2Pricing,
  },
  vertex: {
    capabilities: async () => (await import('../../adapters/vertex/vertex-capabilities.js')).vertexCapabilities,
    validation: async () => (await import('../../adapters/vertex/vertex-validation.js')).vertexValidation,
  },
  rescale: {
    capabilities: async () => (await import('../../adapters/rescale/rescale-capabilities.js')).rescaleCapabilities,
    validation: async () => (await import('../../adapters/rescale/rescale-validation.js')).rescaleValidation,
  },
};

export function backendNames(): readonly BackendName[] {
  return BACKEND_NAMES;
}

export function capabilitiesOf(name: BackendName): Promise<BackendCapabilities> {
  return REGISTRY[name].capabilities();
}

export function validationOf(name: BackendName): Promise<BackendValidation> {
  return REGISTRY[name].validation();
}

/** Whether the registry has an adapter for the backend (a test holds every such adapter to the conformance suite). */
export function canLaunch(name: BackendName): boolean {
  return REGISTRY[name].adapter !== undefined;
}

/** The backend's adapter, or a user-facing error saying why this version cannot launch on it. */
export async function loadBackend(name: BackendName): Promise<TrainingBackend> {
  const entry = REGISTRY[name];
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
export function canPrice(name: BackendName): boolean {
  return REGISTRY[name].pricing !== undefined;
}

/** The backend's price and bill rules, or a user-facing error saying this version has no prices for it. */
export async function pricingOf(name: BackendName): Promise<BackendPricing> {
  const pricing = REGISTRY[name].pricing;
  if (!pricing) {
    throw new DlrunError(`this version of dlrun has no price catalog for ${name} yet`, {
      hint: "'dlrun quote --backend local' prices the job on this machine",
    });
  }
  return pricing();
}
