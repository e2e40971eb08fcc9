/**
 * What this folder hands dlrun's registry (src/core/backends.ts): each part loaded on first use, so a command loads
 * only what it needs (`validate` and `quote` never the adapter, whose first request loads the AWS SDK). The registry
 * checks this object's shape against its BackendRegistration.
 */
export const registration = {
  capabilities: async () => (await import('./ec2-capabilities.js')).ec2Capabilities,
  validation: async () => (await import('./ec2-validation.js')).ec2Validation,
  pricing: async () => (await import('./ec2-pricing.js')).ec2Pricing,
  quoting: async () => (await import('./ec2-quoting.js')).ec2Quoting,
  adapter: () => import('./ec2-backend.js'),
  priceRefresh: async () => (await import('./ec2-price-refresh.js')).ec2PriceRefresher,
};
