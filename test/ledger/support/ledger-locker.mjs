// Another program holding the ledger's lock, as a stuck dlrun or a database browser would:
// `--mode write` holds the write lock in an open IMMEDIATE transaction with a write in it (readers still read,
// in WAL mode); `--mode exclusive` writes in EXCLUSIVE locking mode, which keeps every other connection out,
// readers included; `--mode reserve` only begins an IMMEDIATE transaction, which works on a new, empty file.
// Prints `locked` once it holds the lock; on a line on stdin it commits, closes and exits; else it waits to be killed.
import Sqlite from 'better-sqlite3';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { file: { type: 'string' }, mode: { type: 'string', default: 'write' } } });
if (!values.file) throw new Error('--file is required');

const db = new Sqlite(values.file);
if (values.mode === 'exclusive') {
  db.pragma('locking_mode = EXCLUSIVE');
  db.exec(`BEGIN IMMEDIATE; INSERT OR REPLACE INTO ledger_meta (key, value) VALUES ('locker', 'exclusive'); COMMIT`);
} else if (values.mode === 'reserve') {
  db.exec('BEGIN IMMEDIATE');
} else {
  db.exec(`BEGIN IMMEDIATE; INSERT OR REPLACE INTO ledger_meta (key, value) VALUES ('locker', 'write')`);
}
console.log('locked');
const input = createInterface({ input: process.stdin });
input.once('line', () => {
  if (db.inTransaction) db.exec('COMMIT');
  db.close();
  input.close();
  process.stdin.destroy();
});
