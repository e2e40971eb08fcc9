// A throwaway PostgreSQL cluster, with no test runner in it: the tests (test/support/postgres-server.ts) and the
// benchmarks (bench/) start one each. It runs with fsync off: nothing in it outlives the run.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './moto-process.js';

export const POSTGRES_MISSING_IN_CI = 'PostgreSQL (initdb, pg_ctl) is not installed; .ci/run must provide it';
export const POSTGRES_MISSING_HERE =
  'PostgreSQL is not installed, so this PostgreSQL ledger test did NOT run: install it ' +
  '(apt-get install postgresql-15) to run it; under CI=true this is a failure';

/** A running cluster on 127.0.0.1, whose superuser `dlrun` has the password given (or none, with trust auth). */
export interface PostgresCluster {
  readonly port: number;
  readonly pid: number;
  /** The self-signed certificate (PEM file) of a cluster started with `tls`. */
  readonly certificate: string | undefined;
  /** The superuser's password, when the cluster was started with one (scram-sha-256 over TCP). */
  readonly password: string | undefined;
  /** postgres://dlrun[:password]@127.0.0.1:PORT/DATABASE */
  url(database: string, options?: { user?: string; password?: string; port?: number }): string;
  /**
   * A new empty database; its URL. `icuLocale` (e.g. `en-US`) gives it that collation, as a server set up for people
   * sorts text (`a_1` before `a-1`, unlike the bytes); the cluster itself is initialised with the C.UTF-8 locale.
   */
  createDatabase(name?: string, options?: { icuLocale?: string }): Promise<string>;
  /** Run SQL as the superuser in a database (default `postgres`). */
  sql(text: string, database?: string): Promise<Record<string, unknown>[]>;
  /** The end of the server's log, for failure messages. */
  log(): string;
  /** Stop the server (by its pid, fast shutdown) and remove its folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Make the superuser need this password over TCP (scram-sha-256); without it every connection is trusted. */
  readonly password?: string;
  /** Serve TLS too (ssl = on), with a self-signed certificate for `localhost`: its file is `certificate`. */
  readonly tls?: boolean;
}

/** The newest PostgreSQL's bin folder: /usr/lib/postgresql/<version>/bin, or pg_config's --bindir. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(path.join(root, version, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return path.join(root, versions[0], 'bin');
  const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const bin = config.status === 0 ? config.stdout.trim() : '';
  return bin && existsSync(path.join(bin, 'initdb')) ? bin : undefined;
}

export function postgresInstalled(): boolean {
  return postgresBin() !== undefined;
}

let sequence = 0;

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBin();
  if (!bin) throw new Error(POSTGRES_MISSING_HERE);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dlrun-pg-'));
  chmodSync(folder, 0o755);
  // initdb refuses to run as root: the cluster belongs to the `postgres` user then.
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]): void => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  };
  if (asRoot) chownSync(folder, ...postgresIds());
  const data = path.join(folder, 'data');
  const auth = ['--auth-local=trust', `--auth-host=${options.password ? 'scram-sha-256' : 'trust'}`];
  const pwfile = path.join(folder, 'pw');
  if (options.password) {
    writeFileSync(pwfile, `${options.password}\n`, { mode: 0o600 });
    if (asRoot) chownSync(pwfile, ...postgresIds());
  }
  run(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'dlrun',
    ...auth,
    ...(options.password ? [`--pwfile=${pwfile}`] : []),
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const port = await freePort();
  const certificate = options.tls ? selfSignedCertificate(folder, asRoot) : undefined;
  const settings = [
    `-h 127.0.0.1 -p ${port} -k ${folder}`,
    '-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
    ...(certificate ? [`-c ssl=on -c ssl_cert_file=${certificate.cert} -c ssl_key_file=${certificate.key}`] : []),
  ].join(' ');
  run(path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    path.join(folder, 'pg.log'),
    '-w',
    '-t',
    '30',
    'start',
    '-o',
    settings,
  ]);
  const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const { default: pg } = await import('pg');
  let stopped = false;
  const url = (database: string, as: { user?: string; password?: string; port?: number } = {}): string => {
    const password = as.password ?? (as.user === undefined ? options.password : undefined);
    const user = as.user ?? 'dlrun';
    const credentials = password === undefined ? user : `${user}:${encodeURIComponent(password)}`;
    return `postgres://${credentials}@127.0.0.1:${as.port ?? port}/${database}`;
  };
  const sql = async (text: string, database = 'postgres'): Promise<Record<string, unknown>[]> => {
    const client = new pg.Client({ connectionString: url(database), connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      return (await client.query(text)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    port,
    pid,
    certificate: certificate?.cert,
    password: options.password,
    url,
    sql,
    async createDatabase(name = `ledger_${process.pid}_${++sequence}`, { icuLocale } = {}) {
      const locale = icuLocale ? ` LOCALE_PROVIDER icu ICU_LOCALE '${icuLocale}' TEMPLATE template0` : '';
      await sql(`CREATE DATABASE ${name}${locale}`);
      return url(name);
    },
    log: () => {
      try {
        return readFileSync(path.join(folder, 'pg.log'), 'utf8').slice(-4_000);
      } catch {
        return '';
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // SIGINT is PostgreSQL's fast shutdown: it ends every connection and exits.
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // Already gone.
      }
      for (let waited = 0; waited < 10_000 && alive(pid); waited += 50) await new Promise((r) => setTimeout(r, 50));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Running, and not a zombie: a container's init may never reap the server pg_ctl left to it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** A key and a self-signed certificate for localhost, readable by the server only (it refuses a looser key). */
function selfSignedCertificate(folder: string, asRoot: boolean): { cert: string; key: string } {
  const cert = path.join(folder, 'server.crt');
  const key = path.join(folder, 'server.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
    ],
    { stdio: 'ignore' },
  );
  chmodSync(key, 0o600);
  chmodSync(cert, 0o644);
  if (asRoot) for (const file of [cert, key]) chownSync(file, ...postgresIds());
  return { cert, key };
}

function postgresIds(): [number, number] {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return [uid, gid];
}
