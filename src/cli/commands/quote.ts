import { UsageError } from '../../base/errors.js';
import { backendNames, capabilitiesOf, pricingOf } from '../../core/backends.js';
import { quote, type Quote } from '../../cost/quote.js';
import { stopAfter } from '../../cost/stop-after.js';
import type { BackendName } from '../../spec/backend-names.js';
import type { JobSpec } from '../../spec/job-spec.js';
import { loadJobFile } from '../../spec/load-job-file.js';
import { parseDuration } from '../../spec/units/duration.js';
import { formatDuration } from '../../util/format-duration.js';
import { backendFlag } from '../backend-flag.js';
import { booleanFlag, stringFlag, type CommandInput } from '../command.js';
import { renderQuotes } from '../render-bill.js';

/** A job with no time limit is priced for this long unless --runtime says otherwise. */
const UNLIMITED_QUOTE_SECONDS = 3600;

/**
 * `dlrun quote JOB.yaml`: the price per hour, billing increment and minimum, and the total for the job's run
 * time (--runtime, else the time its limits allow), on one backend or every backend the file names; on a backend
 * that runs on a machine the user owns, what owning the hardware costs instead.
 */
export async function run(input: CommandInput): Promise<number> {
  const { io } = input;
  const { job } = loadJobFile(input.positionals[0]!, io.cwd);
  const runtimeFlag = stringFlag(input, 'runtime');
  const runtime = runtimeFlag === undefined ? undefined : parseRuntime(runtimeFlag);
  const now = new Date();
  const quotes: Quote[] = [];
  const unavailable: { backend: BackendName; reason: string }[] = [];
  for (const backend of await backendsToQuote(job, backendFlag(input))) {
    try {
      const price = (await pricingOf(backend)).price(job, now, input.config.env);
      const seconds = runtime ?? stopAfter(job, price).seconds ?? UNLIMITED_QUOTE_SECONDS;
      quotes.push(quote(backend, price, seconds));
    } catch (error) {
      unavailable.push({ backend, reason: (error as Error).message });
    }
  }
  if (booleanFlag(input, 'json')) {
    io.out(JSON.stringify({ quotes, unavailable }));
  } else {
    if (quotes.length) io.out(renderQuotes(quotes));
    for (const quoted of quotes) io.err(`${quoted.backend}: ${quoted.price_source}`);
    for (const missing of unavailable) io.err(`${missing.backend}: no quote: ${missing.reason}`);
    if (runtime === undefined)
      io.err(
        "run time: the time the job's limits allow " +
          `(--runtime prices another; unlimited jobs are priced for ${formatDuration(UNLIMITED_QUOTE_SECONDS)})`,
      );
  }
  return quotes.length ? 0 : 1;
}

/**
 * --backend B; else the backends the file names (backend: and backends:), always with the backends on a machine
 * the user owns (capability `ownedMachine`) to compare against.
 */
async function backendsToQuote(job: JobSpec, flag: BackendName | undefined): Promise<BackendName[]> {
  if (flag) return [flag];
  const named = new Set<BackendName>([job.backend, ...(Object.keys(job.backends ?? {}) as BackendName[])]);
  const quoted: BackendName[] = [];
  for (const name of backendNames()) {
    if (named.has(name) || (await capabilitiesOf(name)).ownedMachine.supported) quoted.push(name);
  }
  return quoted;
}

function parseRuntime(text: string): number {
  const parsed = parseDuration(text);
  if (parsed.ok) return parsed.seconds;
  throw new UsageError(
    `--runtime ${parsed.message}${parsed.suggestion ? `; did you mean --runtime ${parsed.suggestion}?` : ''}`,
  );
}
