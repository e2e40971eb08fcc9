/**
 * What this folder hands dlrun's registry (src/core/backends.ts), each part loaded on first use. No adapter yet: the
 * validator checks jobs for this backend and `quote` prices them (vertex-pricing.ts); `submit` says why it cannot
 * launch them.
 */
export const registration = {
  capabilities: async () => (await import('./vertex-capabilities.js')).vertexCapabilities,
  validation: async () => (await import('./vertex-validation.js')).vertexValidation,
  pricing: async () => (await import('./vertex-pricing.js')).vertexPricing,
};
