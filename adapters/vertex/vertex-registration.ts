/**
 * What this folder hands dlrun's registry (src/core/backends.ts), each part loaded on first use: `validate` and
 * `quote` never load the adapter, whose first request loads Google's clients.
 */
export const registration = {
  capabilities: async () => (await import('./vertex-capabilities.js')).vertexCapabilities,
  validation: async () => (await import('./vertex-validation.js')).vertexValidation,
  pricing: async () => (await import('./vertex-pricing.js')).vertexPricing,
  quoting: async () => (await import('./vertex-quoting.js')).vertexQuoting,
  adapter: () => import('./vertex-backend.js'),
  priceRefresh: async () => (await import('./vertex-price-refresh.js')).vertexPriceRefresher,
};
