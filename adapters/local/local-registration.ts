/**
 * What this folder hands dlrun's registry (src/core/backends.ts): each part loaded on first use, so a command loads
 * only what it needs. The registry checks this object's shape against its BackendRegistration.
 */
export const registration = {
  capabilities: async () => (await import('./local-capabilities.js')).localCapabilities,
  validation: async () => (await import('./local-validation.js')).localValidation,
  pricing: async () => (await import('./local-rate.js')).localPricing,
  adapter: () => import('./local-backend.js'),
};
