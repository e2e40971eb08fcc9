import assert from 'node:assert/strict';
import { test } from 'vitest';
import {
  POSTGRES_MISSING_HERE,
  POSTGRES_MISSING_IN_CI,
  postgresForThisFile,
  skipOrFailWithoutPostgres,
} from '../support/postgres-server.js';

const postgres = postgresForThisFile();

test('without PostgreSQL a test fails under CI=true and is skipped, saying what to install, elsewhere', () => {
  const skipped: string[] = [];
  const t = { skip: (note: string) => void skipped.push(note) };
  assert.equal(skipOrFailWithoutPostgres(t, true, true), true);
  assert.throws(
    () => skipOrFailWithoutPostgres(t, false, true),
    (error: Error) => error.message === POSTGRES_MISSING_IN_CI,
  );
  assert.equal(skipOrFailWithoutPostgres(t, false, false), false);
  assert.deepEqual(skipped, [POSTGRES_MISSING_HERE]);
  assert.match(POSTGRES_MISSING_HERE, /apt-get install postgresql/);
});

test('the throwaway cluster serves a database per caller, and its superuser runs SQL', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const [first, second] = [await cluster.createDatabase(), await cluster.createDatabase()];
  assert.notEqual(first, second);
  assert.match(first, new RegExp(`^postgres://dlrun@127\\.0\\.0\\.1:${cluster.port}/ledger_\\d+_\\d+$`));
  assert.deepEqual(await cluster.sql('SELECT 1 AS one', first.split('/').at(-1)), [{ one: 1 }]);
  process.kill(cluster.pid, 0);
});
