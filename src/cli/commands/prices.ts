import { UsageError } from '../../base/errors.js';
import { refreshableBackends, refreshBackendPrices, showPrices } from '../../core/refresh-prices.js';
import { BACKEND_NAMES } from '../../spec/backend-names.js';
import { backendFlag } from '../backend-flag.js';
import { booleanFlag, type CommandInput } from '../command.js';
import { ageText, describePricesUsed } from '../render-prices.js';
import { style } from '../style.js';

const ACTIONS = ['refresh', 'show'] as const;

/**
 * `dlrun prices refresh [--backend B]`: fetch current prices from each backend's price API into a dated snapshot in
 * DLRUN_HOME (every backend that has one when --backend is not given; one that fails is reported and the others
 * still refresh; exit 1 when any failed). `dlrun prices show [--backend B]`: which prices quotes use now, per
 * backend: the newest valid snapshot (its date, age, rows and source) or the repository's catalog.
 */
export async function run(input: CommandInput): Promise<number> {
  const [action, extra] = input.positionals;
  if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) {
    throw new UsageError(`unknown action '${action}': 'dlrun prices' takes ${ACTIONS.join(' or ')}`);
  }
  if (extra !== undefined) throw new UsageError(`'dlrun prices ${action}' takes no argument '${extra}'`);
  return action === 'refresh' ? refresh(input) : show(input);
}

async function refresh(input: CommandInput): Promise<number> {
  const { io, config } = input;
  const only = backendFlag(input);
  const backends = only ? [only] : await refreshableBackends(BACKEND_NAMES);
  const results = [];
  for (const backend of backends) {
    io.err(`${backend}: refreshing prices...`);
    const result = await refreshBackendPrices(backend, config, (message) => io.err(`${backend}: ${message}`));
    if (result.ok) {
      io.err(`${backend}: ${result.rows} prices from ${result.source} kept in ${result.file}`);
      for (const note of result.notes) io.err(`${backend}: note: ${note}`);
    } else {
      io.err(`${backend}: prices not refreshed: ${result.message}${result.hint ? ` (${result.hint})` : ''}`);
    }
    results.push(result);
  }
  if (booleanFlag(input, 'json')) {
    io.out(
      JSON.stringify({
        refreshed: results.filter((result) => result.ok).map(({ ok: _ok, ...rest }) => rest),
        failed: results.filter((result) => !result.ok).map(({ ok: _ok, ...rest }) => rest),
      }),
    );
  } else {
    for (const result of results) {
      io.out(result.ok ? `${result.backend}: refreshed, ${result.rows} prices` : `${result.backend}: failed`);
    }
  }
  return results.every((result) => result.ok) ? 0 : 1;
}

async function show(input: CommandInput): Promise<number> {
  const { io, config } = input;
  const only = backendFlag(input);
  const now = new Date();
  const shown = await showPrices(only ? [only] : BACKEND_NAMES, config.home, now);
  for (const entry of shown) for (const problem of entry.problems) io.err(`warning: ${problem}`);
  if (booleanFlag(input, 'json')) {
    io.out(
      JSON.stringify({
        backends: shown.map((entry) => ({
          backend: entry.backend,
          refreshable: entry.refreshable,
          ...(entry.used ?? { from: null }),
          problems: entry.problems,
        })),
      }),
    );
    return 0;
  }
  const paint = style(io.colorOut);
  for (const entry of shown) {
    const { used } = entry;
    if (used?.from === 'snapshot') {
      io.out(
        `${paint.bold(entry.backend)}: snapshot of ${used.fetched_at} (${ageText(used.age_s)}), ${used.rows} rows, ` +
          `from ${used.source} at ${used.endpoint}\n  ${used.file}`,
      );
    } else if (used && entry.refreshable) {
      io.out(`${paint.bold(entry.backend)}: ${describePricesUsed(used)}`);
    } else {
      io.out(`${paint.bold(entry.backend)}: no price API to refresh from (its prices are not fetched)`);
    }
  }
  return 0;
}
