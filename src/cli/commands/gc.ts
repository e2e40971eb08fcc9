import { collectGarbage } from '../../core/collect-garbage.js';
import { openExistingLedger } from '../../ledger/open-ledger.js';
import { booleanFlag, type CommandInput } from '../command.js';

/** `dlrun gc [--dry-run] [--json]`: resources of this ledger still billing for no active job, removed (or listed). */
export async function run(input: CommandInput): Promise<number> {
  const { io, config } = input;
  const dryRun = booleanFlag(input, 'dry-run');
  const ledger = await openExistingLedger(config);
  if (!ledger) {
    if (booleanFlag(input, 'json')) io.out(JSON.stringify({ dry_run: dryRun, backends: [] }));
    else io.err('no ledger yet, so nothing dlrun started');
    return 0;
  }
  try {
    const results = await collectGarbage(ledger, config, dryRun);
    if (booleanFlag(input, 'json')) {
      io.out(JSON.stringify({ dry_run: dryRun, backends: results.map(({ backend, items, error }) => ({ backend, items, error: error ?? null })) }));
    } else {
      for (const { backend, items, error } of results) {
        if (error) io.err(`${backend}: could not look: ${error}`);
        for (const item of items) io.out(`${backend}\t${item.kind}\t${item.id}\t${item.jobId ?? '-'}\t${item.description}`);
      }
      const count = results.reduce((sum, result) => sum + result.items.length, 0);
      io.err(count === 0 ? 'nothing to collect: every resource of this ledger belongs to an active job' : dryRun ? `${count} resource${count === 1 ? '' : 's'} would be removed; run without --dry-run to remove them` : `removed ${count} resource${count === 1 ? '' : 's'}`);
    }
    return results.some((result) => result.error) ? 1 : 0;
  } finally {
    await ledger.close();
  }
}
