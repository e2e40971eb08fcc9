import { DlrunError } from '../../src/base/errors.js';
import { isUnconfirmed } from '../../src/cost/catalogs/catalog-row.js';
import { findGpu, suggestGpu } from '../../src/cost/catalogs/gpus.js';
import {
  VERTEX_ACCELERATORS,
  VERTEX_MACHINE_TYPES,
  findVertexAccelerator,
  findVertexMachineFamily,
  findVertexMachineType,
  suggestVertexAccelerator,
  suggestVertexMachineType,
  type VertexAccelerator,
  type VertexMachineType,
} from '../../src/cost/catalogs/vertex-machines.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { describeResources } from '../../src/spec/describe-resources.js';
import { compareNames } from '../../src/util/compare-names.js';

type Resources = JobSpec['resources'];

/** Accelerators on one node: attached to an n1 machine, or built into an a2/a3/a4/g2 machine type. */
export interface VertexAttachedAccelerators {
  readonly type: VertexAccelerator;
  readonly count: number;
}

/** One node's machine, as a worker pool's `machineSpec` names it. */
export interface VertexMachineChoice {
  readonly machine: VertexMachineType;
  readonly accelerators: VertexAttachedAccelerators | null;
  /** True when the choice rests on an unconfirmed catalog figure (a series custom jobs may not take, a count). */
  readonly unconfirmed: boolean;
}

/** What the job asks of each node: its resources, and the machine and accelerator `backends.vertex` names, if any. */
export interface VertexMachineRequest {
  readonly resources: Resources;
  readonly machineType?: string | undefined;
  readonly acceleratorType?: string | undefined;
}

/** The request of a job file: `resources` and the `backends.vertex` names. */
export function vertexMachineRequest(job: Pick<JobSpec, 'backends' | 'resources'>): VertexMachineRequest {
  const options = job.backends?.vertex;
  return { resources: job.resources, machineType: options?.machine_type, acceleratorType: options?.accelerator_type };
}

/**
 * Every machine type, with the accelerators it would carry, that satisfies the request under Vertex's family rules
 * (T4/P4/V100/P100 attached to n1 within the n1 limits per count; A100 in a2, L4 in g2, H100/H200 in a3, B200 in
 * a4, as many as the type comes with), in a series custom training takes; smallest first (fewest GPUs, then vCPUs,
 * then memory, then name). A GPU request is met by at least as many GPUs of that model; a deprecated accelerator
 * (K80) only when the job names it. Throws a user error for a name the catalogs lack, or when nothing satisfies.
 */
export function vertexMachineCandidates(request: VertexMachineRequest): VertexMachineChoice[] {
  const named = namedTypes(request);
  const wanted = wantedGpu(request.resources);
  const candidates = VERTEX_MACHINE_TYPES.filter((machine) => !named.machine || machine.name === named.machine.name)
    .filter((machine) => findVertexMachineFamily(machine.name)?.accepted_for_training === true)
    .filter((machine) => fitsCpusAndMemory(machine, request.resources))
    .flatMap((machine) =>
      acceleratorOptions(machine)
        .filter((option) => admits(option, machine, named, wanted))
        .map((accelerators) => ({ machine, accelerators, unconfirmed: restsOnDoubt(machine, accelerators) })),
    )
    .sort(bySize);
  if (candidates.length === 0) throw nothingSatisfies(request, named, wanted);
  return candidates;
}

/** The smallest machine that satisfies the request: the choice when no price tells machines apart. */
export function smallestVertexMachine(request: VertexMachineRequest): VertexMachineChoice {
  return vertexMachineCandidates(request)[0]!;
}

/** A worker pool's `machineSpec` for a choice (Vertex's field names). */
export function vertexMachineSpec(choice: VertexMachineChoice): {
  machineType: string;
  acceleratorType?: string;
  acceleratorCount?: number;
} {
  return choice.accelerators
    ? {
        machineType: choice.machine.name,
        acceleratorType: choice.accelerators.type.name,
        acceleratorCount: choice.accelerators.count,
      }
    : { machineType: choice.machine.name };
}

/** "n1-standard-8 + 1 x NVIDIA_TESLA_T4", or the machine type alone. */
export function describeVertexMachine(choice: VertexMachineChoice): string {
  const { machine, accelerators } = choice;
  return accelerators ? `${machine.name} + ${accelerators.count} x ${accelerators.type.name}` : machine.name;
}

/** Smallest first: fewest GPUs, then vCPUs, then memory, then the names. */
export function bySize(first: VertexMachineChoice, second: VertexMachineChoice): number {
  return (
    (first.accelerators?.count ?? 0) - (second.accelerators?.count ?? 0) ||
    first.machine.vcpus - second.machine.vcpus ||
    first.machine.memory_gib - second.machine.memory_gib ||
    compareNames(first.machine.name, second.machine.name) ||
    compareNames(first.accelerators?.type.name ?? '', second.accelerators?.type.name ?? '')
  );
}

interface NamedTypes {
  readonly machine: VertexMachineType | undefined;
  readonly accelerator: VertexAccelerator | undefined;
}

function namedTypes(request: VertexMachineRequest): NamedTypes {
  const machine = request.machineType === undefined ? undefined : findVertexMachineType(request.machineType);
  if (request.machineType !== undefined && !machine) {
    const suggestion = suggestVertexMachineType(request.machineType);
    throw new DlrunError(`dlrun's catalog has no Vertex AI machine type '${request.machineType}'`, {
      hint: suggestion
        ? `did you mean ${suggestion}?`
        : 'name one from docs/catalogs.md, or leave backends.vertex.machine_type out to let dlrun pick',
    });
  }
  const accelerator =
    request.acceleratorType === undefined ? undefined : findVertexAccelerator(request.acceleratorType);
  if (request.acceleratorType !== undefined && !accelerator) {
    const suggestion = suggestVertexAccelerator(request.acceleratorType);
    throw new DlrunError(`dlrun's catalog has no Vertex AI accelerator type '${request.acceleratorType}'`, {
      hint: suggestion
        ? `did you mean ${suggestion}?`
        : 'name one from docs/catalogs.md, or leave backends.vertex.accelerator_type out to let dlrun pick',
    });
  }
  return { machine, accelerator };
}

interface WantedGpu {
  readonly model: string;
  readonly count: number;
}

function wantedGpu(resources: Resources): WantedGpu | undefined {
  if (!resources.gpu) return undefined;
  const gpu = findGpu(resources.gpu.model);
  if (!gpu) {
    const suggestion = suggestGpu(resources.gpu.model);
    throw new DlrunError(`dlrun knows no GPU named '${resources.gpu.model}'`, {
      hint: suggestion ? `did you mean ${suggestion}?` : 'write a model like T4, V100, L4, A100 or H100',
    });
  }
  return { model: gpu.name, count: resources.gpu.count };
}

/** What a machine type can carry: its own GPUs, or none and every count of each accelerator its series attaches. */
function acceleratorOptions(machine: VertexMachineType): (VertexAttachedAccelerators | null)[] {
  if (machine.built_in_gpus) {
    const type = findVertexAccelerator(machine.built_in_gpus.accelerator);
    return type ? [{ type, count: machine.built_in_gpus.count }] : [];
  }
  const attachable = VERTEX_ACCELERATORS.filter(
    (type) => !type.built_in && type.machine_families.includes(machine.family),
  );
  return [
    null,
    ...attachable.flatMap((type) =>
      (type.counts ?? []).filter((count) => withinAttachLimit(type, count, machine)).map((count) => ({ type, count })),
    ),
  ];
}

/** Whether an n1 machine is small enough for `count` of an attached GPU (Vertex's per-count vCPU and memory caps). */
function withinAttachLimit(type: VertexAccelerator, count: number, machine: VertexMachineType): boolean {
  const limit = type.attach_limits?.find((row) => row.count === count);
  if (!limit) return type.attach_limits === undefined;
  return machine.vcpus <= limit.max_vcpus && machine.memory_gib <= limit.max_memory_gib;
}

function admits(
  option: VertexAttachedAccelerators | null,
  machine: VertexMachineType,
  named: NamedTypes,
  wanted: WantedGpu | undefined,
): boolean {
  if (named.accelerator && option?.type.name !== named.accelerator.name) return false;
  if (option?.type.deprecated !== undefined && !named.accelerator) return false;
  if (wanted) {
    return option !== null && findGpu(option.type.gpu_model)?.name === wanted.model && option.count >= wanted.count;
  }
  // No GPU asked for: none, unless the job names the accelerator or a machine type that comes with its own.
  return (
    option === null || named.accelerator !== undefined || (named.machine?.name === machine.name && option.type.built_in)
  );
}

function fitsCpusAndMemory(machine: VertexMachineType, resources: Resources): boolean {
  if (resources.cpus !== undefined && machine.vcpus < resources.cpus) return false;
  return resources.memory === undefined || machine.memory_gib >= resources.memory;
}

function restsOnDoubt(machine: VertexMachineType, accelerators: VertexAttachedAccelerators | null): boolean {
  const family = findVertexMachineFamily(machine.name);
  return (
    (family !== undefined && isUnconfirmed(family, 'accepted_for_training')) ||
    isUnconfirmed(machine, 'built_in_gpus') ||
    (accelerators !== null && isUnconfirmed(accelerators.type, 'counts'))
  );
}

function nothingSatisfies(request: VertexMachineRequest, named: NamedTypes, wanted: WantedGpu | undefined): DlrunError {
  const what = describeResources(request.resources);
  const forModel = wanted ? VERTEX_ACCELERATORS.filter((type) => findGpu(type.gpu_model)?.name === wanted.model) : [];
  if (wanted && !named.accelerator && forModel.length > 0 && forModel.every((type) => type.deprecated)) {
    return new DlrunError(`Vertex AI no longer offers the ${wanted.model}: ${forModel[0]!.deprecated}`, {
      hint: 'ask for another GPU in resources.gpu (T4, V100, L4, A100, H100 ...)',
    });
  }
  if (wanted && forModel.length === 0) {
    const models = [...new Set(VERTEX_ACCELERATORS.filter((type) => !type.deprecated).map((type) => type.gpu_model))];
    return new DlrunError(`Vertex AI has no accelerator with a ${wanted.model} GPU`, {
      hint: `the GPUs Vertex AI custom training offers: ${models.join(', ')}`,
    });
  }
  const names = [
    ...(named.machine ? [`backends.vertex.machine_type ${named.machine.name}`] : []),
    ...(named.accelerator ? [`backends.vertex.accelerator_type ${named.accelerator.name}`] : []),
  ];
  return new DlrunError(
    names.length
      ? `${names.join(' with ')} cannot give ${what}`
      : `no Vertex AI machine type custom training takes has ${what}`,
    {
      hint: names.length
        ? "'dlrun validate' says what does not fit; or leave the names out to let dlrun pick"
        : 'see docs/catalogs.md for the Vertex AI machine types and accelerators, and their limits',
    },
  );
}
