/**
 * What this folder hands dlrun's registry (src/core/backends.ts), each part loaded on first use: `validate` and
 * `quote` never load the adapter, whose first request loads axios.
 */
export const registration = {
  capabilities: async () => (await import('./rescale-capabilities.js')).rescaleCapabilities,
  validation: async () => (await import('./rescale-validation.js')).rescaleValidation,
  pricing: async () => (await import('./rescale-pricing.js')).rescalePricing,
  quoting: async () => (await import('./rescale-quoting.js')).rescaleQuoting,
  adapter: () => import('./rescale-backend.js'),
  priceRefresh: async () => (await import('./rescale-price-refresh.js')).rescalePriceRefresher,
};
