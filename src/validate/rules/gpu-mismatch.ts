import { findingAt } from '../../base/finding.js';
import { backendValidation, type Rule } from '../rule.js';

/**
 * Settings that contradict each other: `resources.gpu` asking for a GPU the named instance or machine type does
 * not have (another model, fewer of them, none), memory or CPUs it does not have, and an accelerator on a machine
 * it does not attach to. Each target backend says where its own block contradicts `resources` (its validation
 * module's `mismatches`).
 */
export const gpuMismatch: Rule = {
  id: 'gpu-mismatch',
  summary: 'a GPU (or memory, CPUs) request the chosen instance or machine type does not have',
  check(context) {
    return context.targets.flatMap((target) =>
      (backendValidation(context, target).mismatches?.(context.job) ?? []).map(({ field, ...details }) =>
        findingAt(context.job, field, { rule: 'gpu-mismatch', ...details }),
      ),
    );
  },
};
