import { UsageError } from '../../base/errors.js';
import { backendNames, canLaunch, canPrice, capabilitiesOf, quoteRulesOf } from '../../core/backends.js';
import { breakEven, ledgerUsage, type Ownership, type Usage, type UsageSample } from '../../cost/break-even.js';
import { pricesInForce } from '../../core/prices-in-force.js';
import { quote, type Quote } from '../../cost/quote.js';
import { failedStartUsd, startupOf, startupUsd, type StartupSample } from '../../cost/startup.js';
import { openExistingLedger } from '../../ledger/open-ledger.js';
import { stopAfter } from '../../cost/stop-after.js';
import type { BackendName } from '../../spec/backend-names.js';
import type { JobSpec } from '../../spec/job-spec.js';
import { loadJobFile } from '../../spec/load-job-file.js';
import { parseDuration } from '../../spec/units/duration-text.js';
import { formatDuration } from '../../util/format-duration.js';
import { backendFlag } from '../backend-flag.js';
import { booleanFlag, stringFlag, type CommandInput } from '../command.js';
import { renderBreakEven, renderQuotes } from '../render-bill.js';
import { describePricesUsed } from '../render-prices.js';

/** A job with no time limit is priced for this long unless --runtime says otherwise. */
const UNLIMITED_QUOTE_SECONDS = 3600;

/**
 * `dlrun quote JOB.yaml`: the price per hour, billing increment and minimum, the start-up billed before the job's
 * command runs and what one failed start costs, and the total for the job's run time (--runtime, else the time its
 * limits allow), on one backend or, cheapest first, every backend that can run it; a backend that cannot is listed
 * with the reason. When a backend's price rules say the job file gives a machine bought outright, "buy or rent"
 * follows: the break-even of owning against each other backend quoted (src/cost/break-even.ts), at the usage of
 * --hours-per-month, else this ledger's last 90 days.
 */
export async function run(input: CommandInput): Promise<number> {
  const { io } = input;
  // Most of a quote is loading the backends' price rules, whose module reads wait on I/O: with no --backend (every
  // backend quoted) they start now, so the waits overlap each other and the job file's parse.
  if (stringFlag(input, 'backend') === undefined) preloadQuoteRules(backendNames());
  const { job } = loadJobFile(input.positionals[0]!, io.cwd);
  const runtimeFlag = stringFlag(input, 'runtime');
  const runtime = runtimeFlag === undefined ? undefined : parseRuntime(runtimeFlag);
  const hoursFlag = stringFlag(input, 'hours-per-month');
  const hoursPerMonth = hoursFlag === undefined ? undefined : parseHoursPerMonth(hoursFlag);
  const now = new Date();
  const quotes: Quote[] = [];
  const unavailable: { backend: BackendName; reason: string }[] = [];
  const flag = backendFlag(input);
  const backends = flag ? [flag] : backendNames();
  preloadQuoteRules(backends);
  let ledgerProblem: string | undefined;
  const ledgerJobs = await endedJobs(input, (problem) => {
    ledgerProblem = problem;
    io.err(`start-up: the ledger could not be read (${problem}), so the defaults are used`);
  });
  const finished = ledgerJobs ?? [];
  for (const backend of backends) {
    try {
      if (!(await canLaunch(backend))) {
        const { launch } = await capabilitiesOf(backend);
        throw new Error(`dlrun cannot launch on it: ${launch.supported ? 'it has no adapter' : launch.reason}`);
      }
      const pricing = await quoteRulesOf(backend);
      const inForce = await pricesInForce(backend, input.config.home, now);
      for (const problem of inForce.problems) io.err(`warning: ${problem}`);
      const price = pricing.price(job, now, input.config.env, inForce.refreshed);
      const seconds = runtime ?? stopAfter(job, price).seconds ?? UNLIMITED_QUOTE_SECONDS;
      const startup = startupOf(pricing, finished, backend, price.machine);
      quotes.push(
        quote(
          backend,
          price,
          seconds,
          {
            ...startup,
            usd: startupUsd(startup.seconds, price),
            failed_start_usd: failedStartUsd(pricing, price, startup.seconds),
          },
          inForce.used,
        ),
      );
    } catch (error) {
      unavailable.push({ backend, reason: (error as Error).message });
    }
  }
  // Cheapest first; between equal totals, the cheaper start-up (the sort is stable: registry order last).
  quotes.sort(
    (first, second) => first.total_usd - second.total_usd || (first.startup_usd ?? 0) - (second.startup_usd ?? 0),
  );
  const owner = await ownedMachine(job);
  const usage = owner ? usageOf(hoursPerMonth, ledgerJobs, ledgerProblem, now) : undefined;
  const breakEvens =
    owner && usage
      ? quotes
          .filter((quoted) => quoted.backend !== owner.backend)
          .map((quoted) => breakEven(owner.ownership, quoted.backend, quoted.rate_per_hour_usd, usage))
      : undefined;
  if (booleanFlag(input, 'json')) {
    io.out(
      JSON.stringify({
        quotes,
        unavailable,
        ...(breakEvens ? { break_even: breakEvens, break_even_usage: usage } : {}),
      }),
    );
  } else {
    if (quotes.length) io.out(renderQuotes(quotes));
    if (owner && usage && breakEvens?.length)
      io.out(renderBreakEven(owner.backend, owner.ownership, usage, breakEvens));
    for (const quoted of quotes) io.err(`${quoted.backend}: ${quoted.price_source}`);
    for (const quoted of quotes)
      if (quoted.prices) io.err(`${quoted.backend} prices: ${describePricesUsed(quoted.prices)}`);
    for (const quoted of quotes) io.err(`${quoted.backend} start-up: ${quoted.startup_source}`);
    for (const missing of unavailable) io.err(`${missing.backend}: no quote: ${missing.reason}`);
    if (runtime === undefined)
      io.err(
        "run time: the time the job's limits allow " +
          `(--runtime prices another; unlimited jobs are priced for ${formatDuration(UNLIMITED_QUOTE_SECONDS)})`,
      );
  }
  return quotes.length ? 0 : 1;
}

/** Start loading the backends' price rules; a failure to load surfaces where the loop awaits them. */
function preloadQuoteRules(backends: readonly BackendName[]): void {
  for (const backend of backends) quoteRulesOf(backend).catch(() => undefined);
}

/**
 * This ledger's ended jobs, for the start-up measured on each backend and machine and the usage of the break-even;
 * undefined when there is no ledger yet (a quote never creates one) or it cannot be read (said on stderr: the
 * defaults stand in).
 */
async function endedJobs(
  input: CommandInput,
  onProblem: (message: string) => void,
): Promise<(StartupSample & UsageSample)[] | undefined> {
  try {
    const ledger = await openExistingLedger(input.config);
    if (!ledger) return undefined;
    try {
      return await ledger.listJobs({ which: 'ended' });
    } finally {
      await ledger.close();
    }
  } catch (error) {
    onProblem((error as Error).message);
    return undefined;
  }
}

/** The backend whose price rules say the job file gives a machine bought outright, with its figures; else none. */
async function ownedMachine(job: JobSpec): Promise<{ backend: BackendName; ownership: Ownership } | undefined> {
  for (const backend of backendNames()) {
    if (!(await canPrice(backend))) continue;
    const ownership = (await quoteRulesOf(backend)).ownership?.(job);
    if (ownership) return { backend, ownership };
  }
  return undefined;
}

/** The user's hours per month: --hours-per-month, else this ledger's last 90 days, else unknown. */
function usageOf(
  flag: number | undefined,
  jobs: readonly UsageSample[] | undefined,
  ledgerProblem: string | undefined,
  now: Date,
): Usage {
  if (flag !== undefined) return { hours_per_month: flag, source: '--hours-per-month' };
  if (jobs) return ledgerUsage(jobs, now);
  const why = ledgerProblem === undefined ? 'there is no ledger here yet' : 'the ledger could not be read';
  return { hours_per_month: null, source: `no usage known: ${why}; --hours-per-month N gives it` };
}

function parseHoursPerMonth(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`--hours-per-month must be a number of hours, 0 or more, not '${text}'`);
  }
  return value;
}

function parseRuntime(text: string): number {
  const parsed = parseDuration(text);
  if (parsed.ok) return parsed.seconds;
  throw new UsageError(
    `--runtime ${parsed.message}${parsed.suggestion ? `; did you mean --runtime ${parsed.suggestion}?` : ''}`,
  );
}
