import { afterAll, beforeAll, type TestContext } from 'vitest';
import {
  POSTGRES_MISSING_HERE,
  POSTGRES_MISSING_IN_CI,
  postgresInstalled,
  startPostgres,
  type PostgresCluster,
  type StartPostgresOptions,
} from '../standins/postgres-cluster.js';

// A PostgreSQL cluster per test file: the cluster itself (test/standins/postgres-cluster.ts) and its vitest lifecycle.
export * from '../standins/postgres-cluster.js';

let warned = false;

/**
 * For a test that needs PostgreSQL: true when it is installed. Otherwise fails under CI=true (a skipped ledger test
 * there would hide a regression) and elsewhere skips the test with a reason that says what to install.
 */
export function skipOrFailWithoutPostgres(
  t: { skip(note: string): void },
  isInstalled = postgresInstalled(),
  ci = process.env.CI === 'true',
): boolean {
  if (isInstalled) return true;
  if (ci) throw new Error(POSTGRES_MISSING_IN_CI);
  t.skip(POSTGRES_MISSING_HERE);
  return false;
}

/**
 * One throwaway cluster for the calling test FILE (call at the top level): started before its first test, stopped
 * (by pid) after the last. Each test asks for it with the returned function; without PostgreSQL installed it fails
 * the test under CI=true (a skipped ledger test there would hide a regression) and elsewhere skips it, loudly.
 */
export function postgresForThisFile(
  options: StartPostgresOptions = {},
): (t: TestContext) => PostgresCluster | undefined {
  let cluster: PostgresCluster | undefined;
  beforeAll(async () => {
    if (!postgresInstalled()) {
      if (process.env.CI === 'true') throw new Error(POSTGRES_MISSING_IN_CI);
      if (!warned) console.warn(`\n*** ${POSTGRES_MISSING_HERE} ***\n`);
      warned = true;
      return;
    }
    cluster = await startPostgres(options);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);
  return (t) => {
    if (!skipOrFailWithoutPostgres(t)) return undefined;
    if (!cluster) throw new Error('PostgreSQL is installed but was not started: see the file-level before hook');
    return cluster;
  };
}
