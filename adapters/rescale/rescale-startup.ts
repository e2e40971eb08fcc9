import type { MachineStartup } from '../../src/validate/rule.js';

/**
 * A Rescale machine takes 4 to 8 minutes to start, all of it billed (providers.md section 5). The validator's
 * limits-sense check and the quote's start-up both read it from here, apart from the validation module, so that a
 * quote loads none of the validator's command lists.
 */
export const RESCALE_STARTUP: MachineStartup = { minMinutes: 4, maxMinutes: 8, machine: 'a Rescale machine' };
