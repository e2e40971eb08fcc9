import { collectGarbage } from '../../core/collect-garbage.js';
import { openExistingLedger } from '../../ledger/open-ledger.js';
import { booleanFlag, type CommandInput } from '../command.js';

/** `instance` -> `instances`, for "not searched: instances in us-east-1". */
function plural(kind: string): string {
  return `${kind}s`;
}

/**
 * `dlrun gc [--dry-run] [--json]`: resources of this ledger still billing for no active job, removed (or listed).
 * Exit 1 when a backend or a place (a region's volumes, a bucket) could not be searched: what it holds is unknown.
 */
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
      io.out(
        JSON.stringify({
          dry_run: dryRun,
          backends: results.map(({ backend, items, left, unsearched, error }) => ({
            backend,
            items,
            left: left.map(({ item, reason }) => ({ ...item, reason })),
            unsearched,
            error: error ?? null,
          })),
        }),
      );
    } else {
      for (const { backend, items, left, unsearched, error } of results) {
        if (error) io.err(`${backend}: could not look: ${error}`);
        for (const place of unsearched)
          io.err(`${backend}: not searched: ${plural(place.kind)} in ${place.location} (${place.error})`);
        for (const item of items)
          io.out(`${backend}\t${item.kind}\t${item.id}\t${item.jobId ?? '-'}\t${item.description}`);
        for (const { item, reason } of left) io.err(`${backend}: ${item.kind} ${item.id} is still there (${reason})`);
      }
      const count = results.reduce((sum, result) => sum + result.items.length, 0);
      const left = results.reduce((sum, result) => sum + result.left.length, 0);
      const resources = (n: number): string => `${n} resource${n === 1 ? '' : 's'}`;
      const incomplete = results.some((result) => result.error || result.unsearched.length);
      if (count === 0)
        io.err(
          incomplete
            ? 'nothing found where dlrun could look; run dlrun gc again once the places above can be searched'
            : 'nothing to collect: every resource of this ledger belongs to an active job',
        );
      else if (dryRun) io.err(`${resources(count)} would be removed; run without --dry-run to remove them`);
      else {
        const notYet = left
          ? `; ${resources(left)} could not be removed yet ` +
            '(AWS frees groups and volumes once their machines are gone): run dlrun gc again in a few minutes'
          : '';
        io.err(`removed ${resources(count - left)}${notYet}`);
      }
    }
    // A look-up that failed leaves resources that may bill unaccounted for: not a clean run.
    return results.some((result) => result.error || result.unsearched.length) ? 1 : 0;
  } finally {
    await ledger.close();
  }
}
