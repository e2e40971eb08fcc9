import { ledgerConformance } from './conformance/ledger-conformance.js';
import { openTempLedger } from './support/ledger-fixtures.js';

// The Ledger contract on SQLite: a new ledger file per test.
ledgerConformance(async (t) => (await openTempLedger(t)).ledger);
