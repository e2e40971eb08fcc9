import { UsageError } from '../../base/errors.js';
import { migrateLedger, type MigrateSummary } from '../../core/migrate-ledger.js';
import type { Config } from '../../config.js';
import type { Ledger, LedgerInfo } from '../../ledger/ledger.js';
import { LATEST_SCHEMA_VERSION } from '../../ledger/migrations.js';
import { redact } from '../../ledger/db-url.js';
import { ledgerFile, openExistingLedger, openLedger } from '../../ledger/open-ledger.js';
import { booleanFlag, stringFlag, type CommandInput } from '../command.js';

const ACTIONS = ['info', 'migrate'] as const;
type Action = (typeof ACTIONS)[number];

/** A ledger this large gets a progress line on stderr every PROGRESS_EVERY jobs. */
const PROGRESS_EVERY = 500;

/**
 * `dlrun ledger info [--json]`: which ledger is in use (kind, location, id, schema version, size, jobs, and the ids
 * of the ledgers that launched jobs copied in). `dlrun ledger migrate --from FILE [--dry-run] [--json]`: copy a
 * SQLite ledger (a laptop's history) into the ledger in use (src/core/migrate-ledger.ts).
 */
export async function run(input: CommandInput): Promise<number> {
  const [actionWord, extra] = input.positionals;
  const action = parseAction(actionWord!);
  if (extra !== undefined) throw new UsageError(`'dlrun ledger ${action}' takes no argument '${extra}'`);
  const from = stringFlag(input, 'from');
  if (action === 'info') {
    if (from !== undefined) throw new UsageError(`--from is for 'dlrun ledger migrate' only`);
    if (booleanFlag(input, 'dry-run')) throw new UsageError(`--dry-run is for 'dlrun ledger migrate' only`);
    return info(input);
  }
  if (from === undefined) {
    throw new UsageError("'dlrun ledger migrate' needs the ledger to copy: --from FILE", {
      hint: 'dlrun ledger migrate --from ~/.dlrun/ledger.db',
    });
  }
  return migrate(input, from);
}

async function info(input: CommandInput): Promise<number> {
  const { io, config } = input;
  const json = booleanFlag(input, 'json');
  const ledger = await openExistingLedger(config);
  if (!ledger) {
    const location = redact(ledgerLocation(config));
    if (json)
      io.out(
        JSON.stringify({
          exists: false,
          kind: config.dbUrl ? 'postgresql' : 'sqlite',
          location,
          latest_schema_version: LATEST_SCHEMA_VERSION,
        }),
      );
    else io.err(`no ledger yet: the first submit creates it at ${location}`);
    return 0;
  }
  try {
    const about = await ledger.info();
    const launchIds = (await ledger.launchLedgerIds()).filter((id) => id !== ledger.id);
    if (json) io.out(JSON.stringify(infoJson(about, launchIds)));
    else io.out(renderInfo(about, launchIds));
    return 0;
  } finally {
    await ledger.close();
  }
}

/** The file or database URL of the ledger in use, whether or not it exists yet. */
function ledgerLocation(config: Config): string {
  return config.dbUrl ?? ledgerFile(config);
}

function infoJson(about: LedgerInfo, launchIds: readonly string[]) {
  return {
    exists: true,
    kind: about.kind,
    location: redact(about.location),
    ledger_id: about.id,
    schema_version: about.schemaVersion,
    latest_schema_version: LATEST_SCHEMA_VERSION,
    size_bytes: about.sizeBytes,
    jobs: about.jobs,
    migrated_from_ledger_ids: launchIds,
  };
}

function renderInfo(about: LedgerInfo, launchIds: readonly string[]): string {
  const schema =
    about.schemaVersion === LATEST_SCHEMA_VERSION
      ? `${about.schemaVersion} (the latest this dlrun knows)`
      : `${about.schemaVersion} (this dlrun knows up to ${LATEST_SCHEMA_VERSION})`;
  return [
    `ledger:     ${about.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} at ${redact(about.location)}`,
    `id:         ${about.id}`,
    `schema:     ${schema}`,
    `size:       ${formatBytes(about.sizeBytes)}`,
    `jobs:       ${about.jobs}`,
    ...(launchIds.length ? [`copied in:  jobs launched by ledger ${launchIds.join(', ')}`] : []),
  ].join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]} (${bytes} bytes)`;
}

async function migrate(input: CommandInput, from: string): Promise<number> {
  const { io, config } = input;
  const json = booleanFlag(input, 'json');
  const dryRun = booleanFlag(input, 'dry-run');
  // A dry run never creates the ledger: without one, every job would be copied.
  const ledger: Ledger | undefined = dryRun ? await openExistingLedger(config) : await openLedger(config);
  try {
    const summary = await migrateLedger(ledger ?? { location: ledgerLocation(config) }, from, {
      dryRun,
      onProgress: (done, total) => {
        if (total >= PROGRESS_EVERY && (done % PROGRESS_EVERY === 0 || done === total))
          io.err(`${done} of ${total} jobs ${dryRun ? 'looked at' : 'done (copied or already here)'}`);
      },
    });
    if (summary.conflicting.length) {
      io.err(
        `dlrun: ${summary.conflicting.length} job(s) not copied: this ledger holds a different job of the same id ` +
          `(${summary.conflicting.join(', ')}); see them in ${from} with DLRUN_HOME set to its folder`,
      );
    }
    if (json) io.out(JSON.stringify(migrateJson(summary)));
    else io.out(renderMigrate(summary));
    return 0;
  } finally {
    await ledger?.close();
  }
}

function migrateJson(summary: MigrateSummary) {
  return {
    dry_run: summary.dryRun,
    from: summary.from,
    from_ledger_id: summary.sourceLedgerId,
    from_schema_version: summary.sourceSchemaVersion,
    into: redact(summary.into),
    ledger_id: summary.ledgerId,
    jobs_copied: summary.jobs,
    jobs_skipped: summary.skipped,
    jobs_conflicting: summary.conflicting,
    events_copied: summary.events,
    bills_copied: summary.bills,
    refused_submits_copied: summary.refusedSubmits,
    refused_submits_skipped: summary.refusedSubmitsSkipped,
    budget_copied: false,
  };
}

function renderMigrate(summary: MigrateSummary): string {
  const would = summary.dryRun ? 'would be ' : '';
  return [
    `${summary.dryRun ? 'dry run: nothing written. ' : ''}from ledger ${summary.sourceLedgerId} (${summary.from}) ` +
      `into ${summary.ledgerId ? `ledger ${summary.ledgerId}` : 'a new ledger'} (${redact(summary.into)})`,
    `jobs ${would}copied: ${summary.jobs}, with ${summary.events} events and ${summary.bills} bills; ` +
      'each keeps its prices at launch and the ledger id its machines are tagged with',
    `jobs skipped, already in this ledger: ${summary.skipped}`,
    `refused submits ${would}copied: ${summary.refusedSubmits}` +
      (summary.refusedSubmitsSkipped ? ` (${summary.refusedSubmitsSkipped} already here)` : ''),
    summary.budgetNotCopied
      ? "budget: not copied (this ledger's budget is its own: dlrun budget set sets it)"
      : 'budget: none to copy (a budget is never copied)',
  ].join('\n');
}

function parseAction(word: string): Action {
  if ((ACTIONS as readonly string[]).includes(word)) return word as Action;
  throw new UsageError(`unknown ledger action '${word}': use info or migrate`, {
    hint: 'dlrun ledger info, dlrun ledger migrate --from FILE [--dry-run]',
  });
}
