import { PgLedger } from '../../src/ledger/pg-ledger.js';
import { postgresForThisFile } from '../support/postgres-server.js';
import { ledgerConformance } from './conformance/ledger-conformance.js';

// The Ledger contract on PostgreSQL: one throwaway server for the file, a new database per test, collating text as
// en-US does (ICU), as a server set up for people does: the ledger must still order ids and times byte by byte.
const postgres = postgresForThisFile();

ledgerConformance(async (t) => {
  const cluster = postgres(t);
  if (!cluster) return undefined;
  const ledger = await PgLedger.open(await cluster.createDatabase(undefined, { icuLocale: 'en-US' }), {
    timeoutMs: 10_000,
  });
  t.onTestFinished(() => ledger.close());
  return ledger;
});
