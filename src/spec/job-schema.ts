import { BACKEND_NAMES, BACKEND_OPTIONS, backendBlocks } from './backends/index.js';
import { list, textMap } from './schema/collection-types.js';
import { object, optional, required, withDefault } from './schema/object-type.js';
import { boolean, numeric, oneOf, text, type CheckFailure } from './schema/scalar-types.js';
import type { Infer } from './schema/schema-type.js';
import { duration } from './units/duration.js';
import { framework } from './units/framework.js';
import { gpu } from './units/gpu.js';
import { size } from './units/size.js';

export const MAX_NAME_LENGTH = 40;
const NAME = /^[a-z0-9][a-z0-9-]*$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function explainName(value: string): CheckFailure | undefined {
  if (NAME.test(value) && value.length <= MAX_NAME_LENGTH) return undefined;
  const fixed = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, '');
  const problem =
    value.length > MAX_NAME_LENGTH
      ? `is ${value.length} characters long (at most ${MAX_NAME_LENGTH})`
      : `'${value}' may hold only lowercase letters, digits and '-'`;
  return {
    message: `${problem}; job ids, cloud tags and labels are built from it`,
    ...(fixed ? { suggestion: fixed } : {}),
  };
}

/** `DLRUN_*` names are dlrun's own (JOB-SPEC.md section 1); a job setting one would be overwritten or confusing. */
function reservedVariable(name: string): string | undefined {
  return name.startsWith('DLRUN_') ? `'${name}' is set by dlrun itself; DLRUN_* names are reserved` : undefined;
}

const variableName = text({
  description: 'Name of an environment variable.',
  expected: 'a variable name (letters, digits, _; not starting with a digit)',
  pattern: VARIABLE,
  explain: (value) =>
    VARIABLE.test(value) ? (reservedVariable(value) ? { message: reservedVariable(value)! } : undefined) : undefined,
});

const resources = object(
  {
    gpu: optional(gpu('NAME or NAME:COUNT (T4, V100:4, A100:8, A10G, L4, H100:8 ...); absent means no GPU.')),
    cpus: optional(numeric({ description: 'Virtual CPUs per machine.', integer: true, minimum: 1, maximum: 1024 })),
    memory: optional(size('Memory per machine (GB and GiB both mean GiB, as the clouds count).')),
    disk: optional(size('Disk per machine (GB and GiB both mean GiB).')),
    nodes: withDefault(
      numeric({
        description: "Machines for a multi-node job wired for the framework's distributed runtime.",
        integer: true,
        minimum: 1,
        maximum: 1000,
      }),
      1,
    ),
    spot: withDefault(boolean('Spot / preemptible capacity where the backend has it.'), false),
  },
  { description: 'What the job needs; backends map these onto their own machine types.' },
);

const limits = object(
  {
    max_runtime: withDefault(
      duration('Longest the job may run, enforced on the backend too: 90s, 45m, 4h, 2d, 1h30m, or unlimited.', {
        allowUnlimited: true,
      }),
      '24h',
    ),
    max_cost: optional(
      numeric({
        description: 'US dollars the whole job may spend; it stops at min(max_runtime, the time this buys).',
        exclusiveMinimum: 0,
      }),
    ),
  },
  { description: 'Limits enforced on the backend too, so they hold when this laptop is off.' },
);

/** Where keys that users put at the wrong level belong, for "'gpu' belongs under 'resources'". */
function elsewhere(): ReadonlyMap<string, string> {
  const places = new Map<string, string>();
  for (const backend of BACKEND_NAMES) places.set(backend, 'backends');
  for (const name of Object.keys(resources.fields)) places.set(name, 'resources');
  for (const name of Object.keys(limits.fields)) places.set(name, 'limits');
  for (const [backend, block] of Object.entries(BACKEND_OPTIONS)) {
    for (const name of Object.keys(block.fields)) if (!places.has(name)) places.set(name, `backends.${backend}`);
  }
  return places;
}

/** The job file schema: the single source of truth for the loader, the TypeScript types and `dlrun schema`. */
export const jobSchema = object(
  {
    name: required(
      text({
        description: `Job name: lowercase letters, digits and '-', at most ${MAX_NAME_LENGTH} characters.`,
        expected: 'a job name',
        pattern: NAME,
        maxLength: MAX_NAME_LENGTH,
        explain: explainName,
        examples: ['mnist-cnn'],
      }),
    ),
    workdir: optional(
      text({
        description: 'Folder shipped to the machine, relative to job.yaml. Default: the folder holding job.yaml.',
        expected: 'a folder path',
      }),
    ),
    setup: optional(
      text({
        description: 'Shell (bash) run once before run, e.g. installing dependencies.',
        expected: 'a shell script',
      }),
    ),
    run: required(
      text({ description: 'The training command(s), bash, run in the shipped workdir.', expected: 'a shell script' }),
    ),
    env: optional(
      textMap({
        description: 'Variables for setup and run; values are kept as the text written.',
        keyPattern: VARIABLE,
        keyExpected: 'a variable name (letters, digits, _; not starting with a digit)',
        forbidKey: reservedVariable,
      }),
    ),
    secrets: optional(
      list(variableName, {
        description:
          'Names of variables whose values are read from the submitting shell (or .env) at submit time; never stored.',
        unique: true,
      }),
    ),
    framework: optional(framework('pytorch==X | tensorflow==X | jax==X; used for GPU compatibility checks.')),
    resources: withDefault(resources, {}),
    limits: withDefault(limits, {}),
    outputs: withDefault(
      text({
        description:
          'Folder under the workdir, created before setup, exported as DLRUN_OUTPUT_DIR, collected after the run.',
        expected: 'a folder path',
      }),
      'outputs/',
    ),
    backend: withDefault(oneOf(BACKEND_NAMES, 'Backend used when --backend is not given.'), 'local'),
    backends: optional(backendBlocks),
  },
  {
    description: 'A dlrun training job.',
    elsewhere,
    refine(job, report) {
      // `run: ""` or a `run: |` with no lines would start a machine that does nothing and bill for it.
      if (job.run.trim() === '') report('run', 'the script is empty: give the training command(s) to run');
      for (const name of job.secrets ?? []) {
        if (job.env && Object.hasOwn(job.env, name))
          report(
            'secrets',
            `'${name}' is both in env and in secrets; a secret's value must not be written in the job file`,
            `remove ${name} from env`,
          );
      }
    },
  },
);

/** The job file as parsed: snake_case like job.yaml; durations in seconds, sizes in GiB, `null` = unlimited. */
export type JobFileContent = Infer<typeof jobSchema>;
