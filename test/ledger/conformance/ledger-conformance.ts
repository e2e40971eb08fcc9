import type { TestContext } from 'vitest';
import type { Ledger } from '../../../src/ledger/ledger.js';
import { importCases } from './import-cases.js';
import { jobCases } from './job-cases.js';
import { ownerCases } from './owner-cases.js';
import { queryCases } from './query-cases.js';

/**
 * A new, empty ledger for one test, closed when the test ends; undefined when the test was skipped (no database
 * server installed, outside CI).
 */
export type OpenLedger = (t: TestContext) => Promise<Ledger | undefined>;

/**
 * The Ledger contract, one set of cases for every implementation: a test file registers them for its database
 * (sqlite-conformance.test.ts, pg-conformance.test.ts), so that SQLite and PostgreSQL behave the same.
 */
export function ledgerConformance(open: OpenLedger): void {
  jobCases(open);
  queryCases(open);
  ownerCases(open);
  importCases(open);
}
