import path from 'node:path';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { parse, stringify, type ToStringOptions } from 'yaml';
import { JOB_DIR } from './job-text.js';

/**
 * Valid job files for property tests: the object written as YAML, and the job the loader must read back from it
 * (durations in seconds, sizes in GiB, every default applied), without `source`.
 */
export interface GeneratedJob {
  readonly document: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
}

/** The object without its undefined fields (yaml leaves them out too, and deepEqual would not). */
function defined<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function maybe<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arbitrary, { nil: undefined });
}

/** A value and the loader's reading of it. */
type Written<T> = readonly [written: unknown, read: T];

/** Objects with Object.prototype, like the loader's: fast-check also makes null-prototype ones by default. */
const PLAIN = { noNullPrototype: true } as const;

const jobName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,39}$/);

const commandLine = fc.oneof(
  fc.constantFrom(
    'python train.py --epochs "$EPOCHS"',
    'pip install -r requirements.txt',
    'echo "done: $?" # comment',
    'cd src && make',
    '  indented --flag',
  ),
  fc.string({ minLength: 1, maxLength: 40 }),
);
const script = fc
  .tuple(fc.array(commandLine, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([lines, newline]) => `${lines.join('\n')}${newline ? '\n' : ''}`)
  .filter((text) => text.trim() !== '');

const variableName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/).filter((name) => !name.startsWith('DLRUN_'));

/** Env values as YAML would write them, read back as the text written. */
const envValue: fc.Arbitrary<Written<string>> = fc.oneof(
  fc.string({ maxLength: 30 }).map((text) => [text, text] as const),
  fc
    .constantFrom('1.10', '0x1F', '1e-3', 'true', '010', '', 'line one\nline two\n', 'key: value', '#not a comment')
    .map((text) => [text, text] as const),
  fc.integer().map((number) => [number, String(number)] as const),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map((number) => [number, Object.is(number, -0) ? '-0' : JSON.stringify(number)] as const),
  fc.boolean().map((flag) => [flag, String(flag)] as const),
);

const framework: fc.Arbitrary<Written<{ name: string; version: string }>> = fc
  .tuple(
    fc.constantFrom('pytorch', 'tensorflow', 'jax'),
    fc.array(fc.nat({ max: 200 }), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('', 'rc1', '+cu121', 'a0', '.post1'),
  )
  .map(([name, parts, suffix]) => {
    const version = `${parts.join('.')}${suffix}`;
    return [`${name}==${version}`, { name, version }] as const;
  });

const gpu: fc.Arbitrary<Written<{ model: string; count: number }>> = fc
  .tuple(
    fc.constantFrom('T4', 'V100', 'A100', 'a10g', 'L4', 'H100', 'K80', 'k520', 'A100-80GB'),
    maybe(fc.integer({ min: 1, max: 16 })),
  )
  .map(
    ([model, count]) =>
      [count === undefined ? model : `${model}:${count}`, { model: model.toUpperCase(), count: count ?? 1 }] as const,
  );

const GIB_PER_UNIT: Readonly<Record<string, number>> = {
  M: 1 / 1024,
  Mi: 1 / 1024,
  MB: 1 / 1024,
  MiB: 1 / 1024,
  G: 1,
  Gi: 1,
  GB: 1,
  GiB: 1,
  T: 1024,
  Ti: 1024,
  TB: 1024,
  TiB: 1024,
};
const size: fc.Arbitrary<Written<number>> = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1, max: 4096 }), fc.constantFrom(0.5, 1.5, 2.25)),
    fc.constantFrom(...Object.keys(GIB_PER_UNIT)),
    fc.constantFrom('', ' '),
  )
  .map(([amount, unit, space]) => [`${amount}${space}${unit}`, amount * GIB_PER_UNIT[unit]!] as const);

const duration: fc.Arbitrary<Written<number | null>> = fc.oneof(
  fc
    .tuple(fc.nat({ max: 30 }), fc.nat({ max: 23 }), fc.nat({ max: 59 }), fc.nat({ max: 59 }))
    .filter((parts) => parts.some((part) => part > 0))
    .map(([days, hours, minutes, seconds]) => {
      const text = [
        [days, 'd'],
        [hours, 'h'],
        [minutes, 'm'],
        [seconds, 's'],
      ]
        .filter(([count]) => count !== 0)
        .map(([count, unit]) => `${count}${unit}`)
        .join('');
      return [text, days * 86_400 + hours * 3_600 + minutes * 60 + seconds] as const;
    }),
  fc.constant(['unlimited', null] as const),
);

const money = fc.double({ min: 0, max: 100_000, noNaN: true });
const positiveMoney = fc.double({ min: 0.01, max: 100_000, noNaN: true });

const localBlock = fc.oneof(
  fc.record({ hourly_rate: money }, PLAIN),
  fc.record({ purchase_price: money, lifetime_years: fc.double({ min: 0.1, max: 20, noNaN: true }) }, PLAIN),
  fc.record({ power_watts: money, kwh_price: money }, PLAIN),
  fc.record(
    { purchase_price: money, lifetime_years: fc.integer({ min: 1, max: 10 }), power_watts: money, kwh_price: money },
    PLAIN,
  ),
  fc.constant({}),
);

const hex = (min: number, max: number): fc.Arbitrary<string> =>
  fc.stringMatching(new RegExp(`^[0-9a-f]{${min},${max}}$`));

const ec2Block = fc
  .record({
    region: maybe(fc.constantFrom('us-east-1', 'eu-west-2', 'ap-southeast-1', 'us-gov-west-1', 'sa-east-1')),
    instance_type: maybe(fc.constantFrom('g4dn.xlarge', 'p3.8xlarge', 'g5.48xlarge', 'c7i.large', 'trn1.32xlarge')),
    image: maybe(
      fc.oneof(
        hex(8, 17).map((id) => `ami-${id}`),
        fc.constantFrom('ssm:/aws/service/deeplearning/ami', 'ssm:/team/ami'),
      ),
    ),
    subnet: maybe(hex(8, 17).map((id) => `subnet-${id}`)),
    security_groups: maybe(
      fc.uniqueArray(
        hex(8, 17).map((id) => `sg-${id}`),
        { maxLength: 3 },
      ),
    ),
    key_name: maybe(fc.string({ minLength: 1, maxLength: 40 })),
    iam_instance_profile: maybe(fc.constantFrom('dlrun-training', 'arn:aws:iam::123456789012:instance-profile/ml')),
    bucket: maybe(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,20}[a-z0-9]$/)),
  })
  .map(defined);

const vertexBlock = fc
  .record({
    project: maybe(fc.stringMatching(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/)),
    region: maybe(fc.constantFrom('us-central1', 'europe-west4', 'asia-northeast1')),
    machine_type: maybe(fc.constantFrom('n1-standard-4', 'a2-highgpu-1g', 'g2-standard-8')),
    accelerator_type: maybe(fc.constantFrom('NVIDIA_TESLA_T4', 'NVIDIA_A100_80GB', 'NVIDIA_L4')),
    container_image: maybe(
      fc.constantFrom('us-docker.pkg.dev/vertex-ai/training/pytorch-gpu.2-1:latest', 'gcr.io/my-project/trainer:v3'),
    ),
    staging_bucket: maybe(
      fc.stringMatching(/^[a-z0-9][a-z0-9._-]{1,20}[a-z0-9]$/).map((bucket) => `gs://${bucket}/dlrun`),
    ),
    service_account: maybe(
      fc.constantFrom('trainer@my-project.iam.gserviceaccount.com', '123-compute@developer.gserviceaccount.com'),
    ),
  })
  .map(defined);

const rescaleBlock = fc
  .record({
    core_type: maybe(fc.stringMatching(/^[a-z][a-z0-9_-]{0,15}$/)),
    cores: maybe(fc.integer({ min: 1, max: 512 })),
    platform: maybe(
      fc.constantFrom(
        'https://platform.rescale.com',
        'https://eu.rescale.com',
        'https://kr.rescale.com',
        'https://platform.rescale.jp',
      ),
    ),
  })
  .map(defined);

const backends = fc
  .record({ local: maybe(localBlock), ec2: maybe(ec2Block), vertex: maybe(vertexBlock), rescale: maybe(rescaleBlock) })
  .map(defined);

export const generatedJob: fc.Arbitrary<GeneratedJob> = fc
  .record({
    name: jobName,
    workdir: maybe(fc.constantFrom('.', 'src', 'code/train', '..', '../shared')),
    setup: maybe(script),
    run: script,
    env: maybe(fc.dictionary(variableName, envValue, { maxKeys: 6, ...PLAIN })),
    secrets: maybe(fc.uniqueArray(variableName, { maxLength: 4 })),
    framework: maybe(framework),
    resources: maybe(
      fc.record({
        gpu: maybe(gpu),
        cpus: maybe(fc.integer({ min: 1, max: 1024 })),
        memory: maybe(size),
        disk: maybe(size),
        nodes: maybe(fc.integer({ min: 1, max: 1000 })),
        spot: maybe(fc.boolean()),
      }),
    ),
    limits: maybe(fc.record({ max_runtime: maybe(duration), max_cost: maybe(positiveMoney) })),
    outputs: maybe(
      fc.constantFrom<Written<string>>(
        ['outputs/', 'outputs'],
        ['results', 'results'],
        ['runs/latest/', 'runs/latest'],
        ['./models//', 'models'],
      ),
    ),
    backend: maybe(fc.constantFrom('local', 'ec2', 'vertex', 'rescale')),
    backends: maybe(backends),
  })
  .map((job): GeneratedJob => {
    const env = job.env && Object.fromEntries(Object.entries(job.env).map(([key, [written]]) => [key, written]));
    const envRead = job.env && Object.fromEntries(Object.entries(job.env).map(([key, [, read]]) => [key, read]));
    // A secret must not also be in env.
    const secrets = job.secrets?.filter((name) => !(env && Object.hasOwn(env, name)));
    const resources = job.resources;
    const document = defined({
      name: job.name,
      workdir: job.workdir,
      setup: job.setup,
      run: job.run,
      env,
      secrets,
      framework: job.framework?.[0],
      resources:
        resources &&
        defined({
          gpu: resources.gpu?.[0],
          cpus: resources.cpus,
          memory: resources.memory?.[0],
          disk: resources.disk?.[0],
          nodes: resources.nodes,
          spot: resources.spot,
        }),
      limits: job.limits && defined({ max_runtime: job.limits.max_runtime?.[0], max_cost: job.limits.max_cost }),
      outputs: job.outputs?.[0],
      backend: job.backend,
      backends: job.backends,
    });
    const expected = defined({
      name: job.name,
      workdir: path.resolve(JOB_DIR, job.workdir ?? '.'),
      setup: job.setup,
      run: job.run,
      env: envRead,
      secrets,
      framework: job.framework?.[1],
      resources: defined({
        gpu: resources?.gpu?.[1],
        cpus: resources?.cpus,
        memory: resources?.memory?.[1],
        disk: resources?.disk?.[1],
        nodes: resources?.nodes ?? 1,
        spot: resources?.spot ?? false,
      }),
      limits: defined({
        max_runtime: job.limits?.max_runtime === undefined ? 86_400 : job.limits.max_runtime[1],
        max_cost: job.limits?.max_cost,
      }),
      outputs: job.outputs?.[1] ?? 'outputs',
      backend: job.backend ?? 'local',
      backends: job.backends,
    });
    return { document, expected };
  });

/**
 * The ways a job can be written: yaml's defaults, flow style, quoted strings, narrow lines that fold. Not
 * `indent: 4`: yaml 2.9's stringify then writes a wrong indentation indicator (`|2-`) for a block scalar whose
 * first line starts with spaces, and its own parse reads the text back differently.
 */
export const yamlStyle: fc.Arbitrary<ToStringOptions> = fc.constantFrom<ToStringOptions>(
  {},
  { collectionStyle: 'flow' },
  { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' },
  { defaultStringType: 'QUOTE_SINGLE', defaultKeyType: 'PLAIN' },
  { lineWidth: 24, minContentWidth: 8 },
  { indentSeq: false },
);

/**
 * A generated job written as the text of a job file. Only texts that yaml itself reads back as the document are
 * kept: its stringify has slips of its own (in flow style, a line of a string that starts with '-').
 */
export const generatedJobText: fc.Arbitrary<{ readonly job: GeneratedJob; readonly text: string }> = fc
  .tuple(generatedJob, yamlStyle)
  .map(([job, style]) => ({ job, text: stringify(job.document, style) }))
  .filter(({ job, text }) => readsBack(text, job.document));

function readsBack(text: string, document: Record<string, unknown>): boolean {
  try {
    return isDeepStrictEqual(parse(text, { logLevel: 'error' }), document);
  } catch {
    return false;
  }
}
