import path from 'node:path';
import { realpathSync } from 'node:fs';
import type { LedgerId } from '../backend/job-id.js';
import { DlrunError, LedgerError } from '../base/errors.js';
import { type ImportedJob, type Ledger, type StoredJob, launchLedgerId } from '../ledger/ledger.js';
import { SqliteSourceLedger } from '../ledger/sqlite-source.js';

export interface MigrateSummary {
  readonly from: string;
  readonly sourceLedgerId: LedgerId;
  readonly sourceSchemaVersion: number;
  readonly into: string;
  /** Null on a dry run before the ledger in use was created (a dry run never creates it). */
  readonly ledgerId: LedgerId | null;
  readonly dryRun: boolean;
  /** Jobs copied (or, on a dry run, that would be). */
  readonly jobs: number;
  /** Jobs left as they were: their id was already in the ledger (an earlier migrate, or the same job). */
  readonly skipped: number;
  /**
   * Of those skipped, the ids held here by a different job (another launch ledger or submit time): that job of the
   * source was not copied. Job ids end in 4 random hex digits, so this is rare, but it is said, never hidden.
   */
  readonly conflicting: readonly string[];
  /** Events and bills of the jobs copied. */
  readonly events: number;
  readonly bills: number;
  readonly refusedSubmits: number;
  readonly refusedSubmitsSkipped: number;
  /** Whether the source had a budget, which is never copied (a team ledger's budget is the team's). */
  readonly budgetNotCopied: boolean;
}

/** Where the ledger in use will be, before it exists: a dry run then counts every job as one to copy. */
export interface NoLedgerYet {
  readonly location: string;
}

export interface MigrateOptions {
  readonly dryRun: boolean;
  /** Called after every job looked at, with how many of how many. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * `dlrun ledger migrate --from FILE`: copy a SQLite ledger's jobs (row, documents, events: each job in one
 * transaction), then its refused submits, into `target`, the ledger in use. Only the Ledger interface is used on
 * the target side, so the team's PostgreSQL ledger takes a laptop's history the same way. Jobs already in `target`
 * are skipped, so running it twice copies nothing the second time. Each job keeps the id of the ledger that launched
 * it, which its provider resources carry.
 */
export async function migrateLedger(
  target: Ledger | NoLedgerYet,
  from: string,
  options: MigrateOptions,
): Promise<MigrateSummary> {
  const file = path.resolve(from);
  const ledger = 'id' in target ? target : undefined;
  if (!ledger && !options.dryRun) throw new Error('only a dry run may go without a ledger to copy into');
  if (sameFile(file, target.location)) {
    throw new LedgerError(`${from} is the ledger in use: a ledger cannot be copied into itself`, file, {
      hint: 'set DLRUN_HOME (or DLRUN_DB_URL) to the ledger to copy into',
    });
  }
  const source = await SqliteSourceLedger.open(file);
  try {
    if (ledger && source.id === ledger.id) {
      throw new LedgerError(
        `${from} is a copy of the ledger in use (both have the id ${ledger.id}): a ledger cannot be copied into itself`,
        file,
      );
    }
    const ids = source.jobIds();
    let jobs = 0;
    let skipped = 0;
    const conflicting: string[] = [];
    let events = 0;
    let bills = 0;
    for (const [index, jobId] of ids.entries()) {
      const imported = source.job(jobId);
      let outcome: 'imported' | 'already-present';
      if (!ledger) outcome = 'imported';
      else if (options.dryRun) outcome = (await ledger.getJob(jobId)) ? 'already-present' : 'imported';
      else {
        try {
          outcome = await ledger.importJob(imported);
        } catch (error) {
          throw new DlrunError(`could not copy job ${jobId}: ${(error as Error).message}`, {
            hint:
              `the ${jobs} jobs copied before it are kept and nothing of ${jobId} was written; ` +
              'running the migrate again skips what is already copied',
            cause: error,
          });
        }
      }
      if (outcome === 'imported') {
        jobs += 1;
        events += imported.events.length;
        if (imported.bill) bills += 1;
      } else {
        skipped += 1;
        const present = await ledger?.getJob(jobId);
        if (present && !sameJob(present, imported.job, ledger!)) conflicting.push(jobId);
      }
      options.onProgress?.(index + 1, ids.length);
    }
    const refused = source.refusedSubmits();
    let refusedCopied: number;
    if (options.dryRun || !ledger) {
      const present = new Set(((await ledger?.listRefusedSubmits()) ?? []).map(refusedKey));
      refusedCopied = refused.filter((one) => !present.has(refusedKey(one))).length;
    } else refusedCopied = (await ledger.importRefusedSubmits(refused)).imported;
    return {
      from: file,
      sourceLedgerId: source.id,
      sourceSchemaVersion: source.schemaVersion,
      into: target.location,
      ledgerId: ledger?.id ?? null,
      dryRun: options.dryRun,
      jobs,
      skipped,
      conflicting,
      events,
      bills,
      refusedSubmits: refusedCopied,
      refusedSubmitsSkipped: refused.length - refusedCopied,
      budgetNotCopied: source.hasBudget(),
    };
  } finally {
    source.close();
  }
}

/** Whether the job held here is the one copied (the same launch ledger and submit time), not another of its id. */
function sameJob(present: StoredJob, copied: ImportedJob['job'], ledger: Ledger): boolean {
  return launchLedgerId(present, ledger) === copied.ledgerId && present.submittedAt === copied.submittedAt;
}

function refusedKey(refused: { at: string; jobName: string; jobFile: string }): string {
  return JSON.stringify([refused.at, refused.jobName, refused.jobFile]);
}

/** Whether two paths name one file (a database URL names no file). */
function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
