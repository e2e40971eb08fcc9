/**
 * What this folder hands dlrun's registry (src/core/backends.ts), each part loaded on first use. No adapter yet:
 * the validator checks jobs for this backend and `quote` prices them; `submit` says why it cannot go further.
 */
export const registration = {
  capabilities: async () => (await import('./rescale-capabilities.js')).rescaleCapabilities,
  validation: async () => (await import('./rescale-validation.js')).rescaleValidation,
  pricing: async () => (await import('./rescale-pricing.js')).rescalePricing,
};
