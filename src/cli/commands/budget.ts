import { UsageError } from '../../base/errors.js';
import { budgetStanding } from '../../core/budget-standing.js';
import { BUDGET_PERIODS, type BudgetCheck, type BudgetPeriod } from '../../cost/budget.js';
import { openExistingLedger, openLedger } from '../../ledger/open-ledger.js';
import { booleanFlag, stringFlag, type CommandInput } from '../command.js';
import { formatUsd } from '../format.js';

const ACTIONS = ['set', 'show', 'clear'] as const;
type Action = (typeof ACTIONS)[number];

/**
 * `dlrun budget set AMOUNT [--period month|week]`, `budget show`, `budget clear`: the ledger's budget, which
 * `submit` holds (src/core/budget-standing.ts) and `status` shows beside the period's spend.
 */
export async function run(input: CommandInput): Promise<number> {
  const { io } = input;
  const json = booleanFlag(input, 'json');
  const [actionWord, amountWord] = input.positionals;
  const action = parseAction(actionWord!);
  const periodFlag = stringFlag(input, 'period');
  if (action !== 'set') {
    if (amountWord !== undefined) throw new UsageError(`'dlrun budget ${action}' takes no amount`);
    if (periodFlag !== undefined) throw new UsageError(`--period is for 'dlrun budget set' only`);
  }
  if (action === 'set') {
    if (amountWord === undefined) {
      throw new UsageError("'dlrun budget set' needs an amount in US dollars", {
        hint: 'dlrun budget set 100 --period month',
      });
    }
    const amount = parseAmount(amountWord);
    const period = parsePeriod(periodFlag ?? 'month');
    const ledger = await openLedger(input.config);
    try {
      await ledger.setBudget({ amount_usd: amount, period, set_at: new Date().toISOString() });
      const standing = (await budgetStanding(ledger, new Date()))!;
      if (json) io.out(JSON.stringify({ budget: budgetJson(standing) }));
      else io.out(renderStanding(standing));
      return 0;
    } finally {
      await ledger.close();
    }
  }
  const ledger = await openExistingLedger(input.config);
  if (action === 'clear') {
    const cleared = ledger ? await closing(ledger, () => ledger.clearBudget()) : false;
    if (json) io.out(JSON.stringify({ cleared }));
    else io.err(cleared ? 'budget cleared: submit no longer holds jobs to one' : 'no budget was set');
    return 0;
  }
  const standing = ledger ? await closing(ledger, () => budgetStanding(ledger, new Date())) : undefined;
  if (json) io.out(JSON.stringify({ budget: standing ? budgetJson(standing) : null }));
  else if (standing) io.out(renderStanding(standing));
  else io.err("no budget set: 'dlrun budget set AMOUNT [--period month|week]' sets one");
  return 0;
}

async function closing<T>(ledger: { close(): Promise<void> }, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await ledger.close();
  }
}

/** The budget and where it stands, as `budget --json` prints it. */
function budgetJson(standing: BudgetCheck) {
  return {
    amount_usd: standing.budget.amount_usd,
    period: standing.budget.period,
    set_at: standing.budget.set_at,
    period_start: standing.period_start,
    period_end: standing.period_end,
    spent_usd: standing.spent_usd,
    active_worst_usd: standing.active_worst_usd,
    left_usd: standing.left_usd,
    unbounded_jobs: standing.unbounded_jobs,
  };
}

function renderStanding(standing: BudgetCheck): string {
  const { budget } = standing;
  return [
    `budget: ${formatUsd(budget.amount_usd)} a ${budget.period} ` +
      `(this one: ${standing.period_start.slice(0, 10)} to ${standing.period_end.slice(0, 10)}, UTC)`,
    `spent: ${formatUsd(standing.spent_usd)} on jobs submitted this ${budget.period}`,
    `active jobs may still add: up to ${formatUsd(standing.active_worst_usd)}` +
      (standing.unbounded_jobs.length ? `, and any amount for ${standing.unbounded_jobs.join(', ')} (no limit)` : ''),
    `left: ${formatUsd(standing.left_usd)}`,
  ].join('\n');
}

function parseAction(word: string): Action {
  if ((ACTIONS as readonly string[]).includes(word)) return word as Action;
  throw new UsageError(`unknown budget action '${word}': use set, show or clear`, {
    hint: 'dlrun budget set AMOUNT [--period month|week], dlrun budget show, dlrun budget clear',
  });
}

/** Dollars, more than zero: `100`, `12.50`, `$100`. */
function parseAmount(text: string): number {
  const digits = text.trim().replace(/^\$/, '');
  const value = Number(digits);
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(digits) || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`the budget must be an amount of US dollars above 0, like 100 or 12.50, not '${text}'`);
  }
  return value;
}

function parsePeriod(text: string): BudgetPeriod {
  if ((BUDGET_PERIODS as readonly string[]).includes(text)) return text as BudgetPeriod;
  throw new UsageError(`--period must be month or week, not '${text}'`);
}
