import { BASH_BUILTINS } from '../../src/validate/catalogs/shell-commands.js';
import type { BackendValidation } from '../../src/validate/rule.js';
import { localPrice } from './local-rate.js';
import { localGpu } from './rules/local-gpu.js';

/**
 * The local backend's part of the validator (docs/rules.md): a job here has this machine's commands (its PATH, read
 * only when a job is checked for this backend) and GPUs, and costs what `backends.local` says owning it costs.
 */
export const localValidation: BackendValidation = {
  commands: (machine) => new Set([...BASH_BUILTINS, ...machine.commandsOnPath]),
  providedVariables: [],
  startup: undefined,
  budgetWithoutCost: (job) =>
    localPrice(job.backends?.local, new Date()).rate_per_hour_usd === 0
      ? {
          message: 'max_cost has no effect: with no backends.local figures this machine counts as free',
          hint: 'set backends.local.hourly_rate (or purchase_price and lifetime_years) so that its time has a price',
        }
      : undefined,
  rules: [localGpu],
};
