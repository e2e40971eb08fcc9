import type { CommandModule } from './command.js';

/** An option of a command (`program.ts` makes it a commander Option), with its help text. */
export interface FlagSpec {
  readonly type: 'boolean' | 'string';
  /** One letter: `y` for `-y`. */
  readonly short?: string;
  /** The name of a string option's value in help: `B` for `--backend <B>`. */
  readonly value?: string;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Positional arguments in commander's notation, as help shows them: `<JOB.yaml>` required, `[JOB_ID]` optional. */
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** The command's code, loaded only when it runs, so help and start-up stay fast. */
  readonly load: () => Promise<CommandModule>;
  /** True for commands that are themselves the answer to the notice about ignored `.env` settings (allow, deny). */
  readonly quietAboutDotenv?: boolean;
}

const JSON_FLAG: FlagSpec = { type: 'boolean', help: 'print one JSON document on stdout' };

/**
 * Every command, in the order `dlrun --help` lists them. The table is data that `program.ts` turns into commander
 * commands; nothing here loads a command.
 */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'submit',
    summary: 'validate, quote and launch a job; --wait follows it to its end and prints the bill',
    args: ['<JOB.yaml>'],
    flags: {
      backend: {
        type: 'string',
        value: 'B',
        help: "run on this backend (default: the job file's backend:, else local)",
      },
      'dry-run': { type: 'boolean', help: 'print the plan, the exact requests and the startup script; create nothing' },
      yes: { type: 'boolean', short: 'y', help: 'do not ask before launching a job that may cost more than $5' },
      wait: { type: 'boolean', short: 'w', help: 'follow the job to its end (Ctrl-C detaches; the job goes on)' },
      json: JSON_FLAG,
    },
    load: () => import('./commands/submit.js'),
  },
  {
    name: 'quote',
    summary: 'price per hour, billing rules and total for a job, per backend, and what owning the machine costs',
    args: ['<JOB.yaml>'],
    flags: {
      backend: { type: 'string', value: 'B', help: 'quote this backend only' },
      runtime: {
        type: 'string',
        value: 'DURATION',
        help: "price this run time (default: what the job's limits allow)",
      },
      'hours-per-month': {
        type: 'string',
        value: 'N',
        help: "your hours a month, for buy or rent (default: this ledger's last 90 days)",
      },
      json: JSON_FLAG,
    },
    load: () => import('./commands/quote.js'),
  },
  {
    name: 'validate',
    summary: 'check a job file: every setting, with file, line and column for each problem',
    args: ['<JOB.yaml>'],
    flags: {
      backend: { type: 'string', value: 'B', help: 'check for this backend (default: the backends the file names)' },
      json: JSON_FLAG,
    },
    load: () => import('./commands/validate.js'),
  },
  {
    name: 'status',
    summary: 'jobs and their state, elapsed time per phase and cost so far',
    args: ['[JOB_ID]'],
    flags: {
      all: { type: 'boolean', help: 'list every job, not only active and recent ones' },
      mine: { type: 'boolean', help: 'only the jobs you launched (DLRUN_USER, else your OS user)' },
      owner: { type: 'string', value: 'NAME', help: 'only the jobs NAME launched' },
      json: JSON_FLAG,
    },
    load: () => import('./commands/status.js'),
  },
  {
    name: 'logs',
    summary: "the job's output",
    args: ['<JOB_ID>'],
    flags: {
      follow: {
        type: 'boolean',
        short: 'f',
        help: 'keep printing new output until the job ends (Ctrl-C stops reading)',
      },
    },
    load: () => import('./commands/logs.js'),
  },
  {
    name: 'cancel',
    summary: 'end a job and everything it started; a job that already ended is left as it is',
    args: ['<JOB_ID>'],
    flags: { json: JSON_FLAG },
    load: () => import('./commands/cancel.js'),
  },
  {
    name: 'bill',
    summary: "a job's bill: line items, billed time, rate, quote beside actual",
    args: ['<JOB_ID>'],
    flags: { reconcile: { type: 'boolean', help: "add the provider's own figure where it has one" }, json: JSON_FLAG },
    load: () => import('./commands/bill.js'),
  },
  {
    name: 'report',
    summary:
      'spend per backend, day, month, name, state or owner: billed hours, what mistakes cost, quote beside actual',
    args: [],
    flags: {
      since: {
        type: 'string',
        value: 'WHEN',
        help: 'jobs submitted from this date (2026-12-01) or this long ago (30d, 12h); default: every job',
      },
      until: { type: 'string', value: 'DATE', help: 'jobs submitted up to this date, that day included' },
      by: {
        type: 'string',
        value: 'G',
        help: 'group by backend (default), day, month, name, state or owner',
      },
      json: JSON_FLAG,
      csv: { type: 'boolean', help: 'print one CSV row per group, with a header' },
    },
    load: () => import('./commands/report.js'),
  },
  {
    name: 'budget',
    summary: "set AMOUNT, show or clear this ledger's budget for a month or week, which submit holds",
    args: ['<ACTION>', '[AMOUNT]'],
    flags: {
      period: {
        type: 'string',
        value: 'month|week',
        help: 'with set: how often the budget starts again (default month)',
      },
      json: JSON_FLAG,
    },
    load: () => import('./commands/budget.js'),
  },
  {
    name: 'ledger',
    summary: 'info: which ledger is in use (id, schema, size); migrate --from FILE: copy a SQLite ledger into it',
    args: ['<ACTION>'],
    flags: {
      from: { type: 'string', value: 'FILE', help: 'with migrate: the SQLite ledger to copy (it is only read)' },
      'dry-run': { type: 'boolean', help: 'with migrate: say what would be copied; write nothing' },
      json: JSON_FLAG,
    },
    load: () => import('./commands/ledger.js'),
  },
  {
    name: 'prices',
    summary: 'refresh prices from the providers into a dated snapshot, or show which prices quotes use',
    args: ['<ACTION>'],
    flags: {
      backend: { type: 'string', value: 'B', help: 'this backend only (default: every backend with a price API)' },
      json: JSON_FLAG,
    },
    load: () => import('./commands/prices.js'),
  },
  {
    name: 'pull',
    summary: "fetch a job's outputs",
    args: ['<JOB_ID>'],
    flags: {
      to: { type: 'string', value: 'DIR', help: 'where to put them (default: ./dlrun-outputs/JOB_ID)' },
      json: JSON_FLAG,
    },
    load: () => import('./commands/pull.js'),
  },
  {
    name: 'gc',
    summary: 'find resources this ledger started that still bill for no active job, and remove them',
    args: [],
    flags: { 'dry-run': { type: 'boolean', help: 'list them, remove nothing' }, json: JSON_FLAG },
    load: () => import('./commands/gc.js'),
  },
  {
    name: 'check',
    summary: 'which backends are usable from here, and why not',
    args: [],
    flags: {
      backend: { type: 'string', value: 'B', help: 'check this backend only (exit 1 when it is not usable)' },
      json: JSON_FLAG,
    },
    load: () => import('./commands/check.js'),
  },
  {
    name: 'allow',
    summary:
      "read every setting of this folder's .env (credentials, endpoints), as it is now; " +
      'a changed .env must be allowed again',
    args: ['[DIR]'],
    flags: { json: JSON_FLAG },
    load: () => import('./commands/allow.js'),
    quietAboutDotenv: true,
  },
  {
    name: 'deny',
    summary: "stop reading this folder's .env beyond harmless settings and declared secrets",
    args: ['[DIR]'],
    flags: { json: JSON_FLAG },
    load: () => import('./commands/deny.js'),
    quietAboutDotenv: true,
  },
  {
    name: 'init',
    summary: 'write a commented job.yaml to start from',
    args: ['[DIR]'],
    flags: {
      name: { type: 'string', value: 'NAME', help: 'job name (default: from the folder name)' },
      force: { type: 'boolean', help: 'overwrite an existing job.yaml' },
      json: JSON_FLAG,
    },
    load: () => import('./commands/init.js'),
  },
  {
    name: 'schema',
    summary: 'print the JSON Schema of job.yaml, for editors',
    args: [],
    flags: {},
    load: () => import('./commands/schema.js'),
  },
];
