// A dlrun-like process opening a PostgreSQL ledger (argv[2] is its URL): tests start several at once on a new
// database. Prints `ledger <id>` once it is open, or `error <message>` and exits 1.
import { PgLedger } from '../../../dist/src/ledger/pg-ledger.js';

try {
  const ledger = await PgLedger.open(process.argv[2], { timeoutMs: 20_000 });
  console.log(`ledger ${ledger.id}`);
  await ledger.close();
} catch (error) {
  console.log(`error ${error.message}`);
  process.exit(1);
}
