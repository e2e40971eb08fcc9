// A separate dlrun-like process writing to one ledger file: tests start several at once to prove that
// concurrent writers queue instead of failing or losing events, and one alone to see how a write fails.
//
// Prints `ready` (with --barrier, then waits for a line on stdin so that all writers start together),
// `opening` just before it opens the ledger, `ledger <id>` once it is open, `done <count>` at the end,
// or `error <json>` and exit 1 on a LedgerError.
import { asJobId } from '../../../dist/src/backend/job-id.js';
import Sqlite from 'better-sqlite3';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { LedgerError } from '../../../dist/src/base/errors.js';
import { loadConfig } from '../../../dist/src/config.js';
import { SqliteLedger } from '../../../dist/src/ledger/sqlite-ledger.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    tag: { type: 'string', default: String(process.pid) },
    count: { type: 'string', default: '0' },
    shared: { type: 'string' },
    barrier: { type: 'boolean', default: false },
  },
});
if (!values.file) throw new Error('--file is required');

if (values.barrier) {
  console.log('ready');
  const input = createInterface({ input: process.stdin });
  await once(input, 'line');
  input.close();
  process.stdin.destroy();
}

// SQLite's native code loads with the first database; load it before `opening` is printed, so that the ledger
// is opened right after that line, not some milliseconds later.
new Sqlite(':memory:').close();
console.log('opening');
try {
  // The timeout comes from DLRUN_LEDGER_TIMEOUT_MS, as in dlrun itself.
  const ledger = await SqliteLedger.open(values.file, { busyTimeoutMs: loadConfig().ledgerTimeoutMs });
  console.log(`ledger ${ledger.id}`);
  const count = Number(values.count);
  for (let index = 0; index < count; index++) {
    const jobId = asJobId(`writer-${values.tag}-${index}`);
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString();
    await ledger.createJob({ jobId, name: 'writer', backend: 'local', jobFile: 'job.yaml', spec: {}, submittedAt: at });
    await ledger.recordChange(jobId, { at, source: 'provider', state: 'running', providerState: 'RUNNING' });
    if (values.shared) {
      await ledger.recordChange(asJobId(values.shared), {
        at,
        source: 'machine',
        providerState: 'RUNNING',
        message: `${values.tag}-${index}`,
      });
    }
  }
  await ledger.close();
  console.log(`done ${count}`);
} catch (error) {
  if (!(error instanceof LedgerError)) throw error;
  const { name, message, file, hint, isRetryable } = error;
  console.log(`error ${JSON.stringify({ name, message, file, hint, isRetryable })}`);
  process.exitCode = 1;
}
