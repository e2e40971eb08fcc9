/**
 * What this folder hands dlrun's registry (src/core/backends.ts), each part loaded on first use. No adapter and no
 * prices yet: the validator checks jobs for this backend, `quote` and `submit` say why they cannot go further.
 */
export const registration = {
  capabilities: async () => (await import('./rescale-capabilities.js')).rescaleCapabilities,
  validation: async () => (await import('./rescale-validation.js')).rescaleValidation,
};
