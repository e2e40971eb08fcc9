import { PgLedger } from '../../src/ledger/pg-ledger.js';
import { postgresForThisFile } from '../support/postgres-server.js';
import { ledgerConformance } from './conformance/ledger-conformance.js';

// The Ledger contract on PostgreSQL: one throwaway server for the file, a new database per test.
const postgres = postgresForThisFile();

ledgerConformance(async (t) => {
  const cluster = postgres(t);
  if (!cluster) return undefined;
  const ledger = await PgLedger.open(await cluster.createDatabase(), { timeoutMs: 10_000 });
  t.onTestFinished(() => ledger.close());
  return ledger;
});
