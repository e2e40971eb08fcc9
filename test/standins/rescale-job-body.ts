/**
 * The body of `POST /api/v2/jobs/` read as Rescale's serializer reads it, and the job resource made from it.
 * Fields [V] (2016 API docs "Create a Job", Interlink's models): name, description, isLowPriority, jobanalyses[]
 * with analysis {code, version}, command, hardware {coreType, coresPerSlot, slots, walltime}, inputFiles [{id}],
 * envVars. Errors are DRF's layout, field -> messages, nested per analysis [S]; DRF's own words where DRF checks
 * (required, blank, types) [S], the stand-in's for Rescale's own checks (core type, cores, walltime) [U].
 */
import type { FileStore } from './rescale-files.js';
import type { RescaleCoreTypeOffer } from './rescale-coretypes.js';
import { invalid, type Json, type JsonObject } from './rescale-errors.js';

/** What the stand-in needs of a created job to run it. */
export interface JobSpec {
  readonly name: string;
  readonly command: string;
  readonly coreType: string;
  readonly coresPerSlot: number;
  readonly slots: number;
  /** Hours, or null for none. */
  readonly walltime: number | null;
  readonly inputFileIds: readonly string[];
  readonly envVars: Readonly<Record<string, string>>;
  readonly isLowPriority: boolean;
}

const REQUIRED = 'This field is required.';
const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const typeName = (value: Json | undefined): string =>
  Array.isArray(value)
    ? 'list'
    : value === null
      ? 'NoneType'
      : typeof value === 'string'
        ? 'str'
        : typeof value === 'number'
          ? 'int'
          : typeof value === 'boolean'
            ? 'bool'
            : 'dict';
const notDict = (value: Json | undefined): Json => ({
  non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(value)}.`],
});

/** A CharField: required, not null, not blank, a string (DRF also takes numbers and makes them strings). */
function readString(value: Json | undefined, errors: JsonObject, field: string, required: boolean): string | undefined {
  if (value === undefined) {
    if (required) errors[field] = [REQUIRED];
    return undefined;
  }
  let message: string | undefined;
  if (value === null) message = 'This field may not be null.';
  else if (typeof value === 'number') return String(value);
  else if (typeof value !== 'string') message = 'Not a valid string.';
  else if (value.trim() === '' && required) message = 'This field may not be blank.';
  else return value;
  errors[field] = [message];
  return undefined;
}

function readInteger(
  value: Json | undefined,
  errors: JsonObject,
  field: string,
  fallback: number | null,
): number | null {
  if (value === undefined || value === null) return fallback;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    errors[field] = ['A valid integer is required.'];
    return fallback;
  }
  if (number < 1) {
    errors[field] = ['Ensure this value is greater than or equal to 1.'];
    return fallback;
  }
  return number;
}

interface AnalysisRead {
  readonly errors: JsonObject;
  readonly resource: JsonObject;
  readonly spec?: Omit<JobSpec, 'name' | 'isLowPriority'>;
}

function readAnalysis(value: Json, coreTypes: readonly RescaleCoreTypeOffer[], files: FileStore): AnalysisRead {
  if (!isObject(value)) return { errors: notDict(value) as JsonObject, resource: {} };
  const errors: JsonObject = {};
  let analysis: JsonObject = {};
  if (value.analysis === undefined) errors.analysis = [REQUIRED];
  else if (!isObject(value.analysis)) errors.analysis = notDict(value.analysis);
  else {
    const analysisErrors: JsonObject = {};
    const code = readString(value.analysis.code, analysisErrors, 'code', true);
    const version = readString(value.analysis.version, analysisErrors, 'version', false) ?? '';
    if (Object.keys(analysisErrors).length) errors.analysis = analysisErrors;
    // [V] the name Rescale gives user_included; other analyses' names are the stand-in's (it knows no catalogue).
    const name = code === 'user_included' ? 'Custom User-Defined Software' : (code ?? '');
    analysis = { code: code ?? '', name, version, versionName: version };
  }
  const command = readString(value.command, errors, 'command', true);

  let coreType: RescaleCoreTypeOffer | undefined;
  let coresPerSlot: number | null = null;
  let slots: number | null = 1;
  let walltime: number | null = null;
  if (value.hardware === undefined) errors.hardware = [REQUIRED];
  else if (!isObject(value.hardware)) errors.hardware = notDict(value.hardware);
  else {
    const hardware = value.hardware;
    const hardwareErrors: JsonObject = {};
    const code = readString(hardware.coreType, hardwareErrors, 'coreType', true);
    if (code !== undefined) {
      coreType = coreTypes.find((candidate) => candidate.code === code);
      // [U] Rescale's words; DRF's ChoiceField says this.
      if (coreType === undefined) hardwareErrors.coreType = [`"${code}" is not a valid choice.`];
    }
    coresPerSlot = readInteger(hardware.coresPerSlot, hardwareErrors, 'coresPerSlot', null);
    if (hardware.coresPerSlot === undefined) hardwareErrors.coresPerSlot = [REQUIRED];
    else if (coresPerSlot !== null && coreType !== undefined && !coreType.cores.includes(coresPerSlot))
      hardwareErrors.coresPerSlot = [
        `${coresPerSlot} is not a valid number of cores for core type ${coreType.code}. ` +
          `Valid values: ${coreType.cores.join(', ')}.`,
      ];
    slots = readInteger(hardware.slots, hardwareErrors, 'slots', 1);
    // [S] whole hours (Interlink rounds up); a fraction is refused here so that a client sending one is caught.
    walltime = readInteger(hardware.walltime, hardwareErrors, 'walltime', null);
    if (walltime === null && coreType?.walltimeRequired && hardwareErrors.walltime === undefined)
      hardwareErrors.walltime = [`Core type ${coreType.code} requires a walltime.`];
    if (Object.keys(hardwareErrors).length) errors.hardware = hardwareErrors;
  }

  const inputFiles: JsonObject[] = [];
  const inputFileIds: string[] = [];
  if (value.inputFiles !== undefined && value.inputFiles !== null) {
    if (!Array.isArray(value.inputFiles))
      errors.inputFiles = {
        non_field_errors: [`Expected a list of items but got type "${typeName(value.inputFiles)}".`],
      };
    else {
      const itemErrors = value.inputFiles.map((item): JsonObject => {
        if (!isObject(item)) return notDict(item) as JsonObject;
        const id = item.id;
        if (id === undefined) return { id: [REQUIRED] };
        if (typeof id !== 'string' || !files.has(id))
          return { id: [`Invalid pk "${String(id)}" - object does not exist.`] };
        inputFileIds.push(id);
        inputFiles.push(structuredClone(files.get(id).resource));
        return {};
      });
      if (itemErrors.some((item) => Object.keys(item).length > 0)) errors.inputFiles = itemErrors;
    }
  }

  const envVars: Record<string, string> = {};
  if (value.envVars !== undefined && value.envVars !== null) {
    if (!isObject(value.envVars))
      errors.envVars = [`Expected a dictionary of items but got type "${typeName(value.envVars)}".`];
    else
      for (const [key, item] of Object.entries(value.envVars)) {
        if (typeof item === 'string' || typeof item === 'number') envVars[key] = String(item);
        else errors.envVars = { [key]: ['Not a valid string.'] };
      }
  }

  const coreSummary = coreType
    ? {
        memoryPerNode: coreType.memory * (coresPerSlot ?? 1),
        numberOfNodes: slots ?? 1,
        storagePerNode: coreType.storage,
      }
    : null;
  const resource: JsonObject = {
    analysis,
    command: command ?? '',
    envVars,
    flags: isObject(value.flags) ? value.flags : {},
    hardware: { coreSummary, coreType: coreType?.code ?? '', coresPerSlot, slots, walltime },
    inputFiles,
    useMpi: value.useMpi === true,
    postProcessScript: null,
    postProcessScriptCommand: '',
    preProcessScript: null,
    preProcessScriptCommand: '',
    templateTasks: [],
    useRescaleLicense: false,
  };
  if (Object.keys(errors).length) return { errors, resource };
  return {
    errors,
    resource,
    spec: {
      command: command!,
      coreType: coreType!.code,
      coresPerSlot: coresPerSlot!,
      slots: slots ?? 1,
      walltime,
      inputFileIds,
      envVars,
    },
  };
}

/** The job resource (`GET jobs/{id}/`, without its id and owner) and what it runs, or a 400 DRF would give. */
export function readJobBody(
  body: Json | undefined,
  coreTypes: readonly RescaleCoreTypeOffer[],
  files: FileStore,
): { resource: JsonObject; spec: JobSpec } {
  if (!isObject(body)) throw invalid(notDict(body ?? null));
  const errors: JsonObject = {};
  const name = readString(body.name, errors, 'name', true);
  const description = readString(body.description, errors, 'description', false) ?? '';
  let isLowPriority = false;
  if (body.isLowPriority !== undefined && body.isLowPriority !== null) {
    if (typeof body.isLowPriority === 'boolean') isLowPriority = body.isLowPriority;
    else errors.isLowPriority = ['Must be a valid boolean.'];
  }
  const analyses: AnalysisRead[] = [];
  if (body.jobanalyses === undefined) errors.jobanalyses = [REQUIRED];
  else if (!Array.isArray(body.jobanalyses))
    errors.jobanalyses = {
      non_field_errors: [`Expected a list of items but got type "${typeName(body.jobanalyses)}".`],
    };
  else if (body.jobanalyses.length === 0) errors.jobanalyses = { non_field_errors: ['This list may not be empty.'] };
  else {
    for (const item of body.jobanalyses) analyses.push(readAnalysis(item, coreTypes, files));
    // [U] that Rescale refuses more than one analysis; the stand-in runs only one.
    if (analyses.length > 1) errors.jobanalyses = { non_field_errors: ['The stand-in runs one analysis per job.'] };
    else if (analyses.some((analysis) => Object.keys(analysis.errors).length > 0))
      errors.jobanalyses = analyses.map((analysis) => analysis.errors);
  }
  if (Object.keys(errors).length) throw invalid(errors);
  const resource: JsonObject = {
    archiveFilters: [],
    caseFile: null,
    description,
    expectedRuns: null,
    includeNominalRun: false,
    isLowPriority,
    isTemplateDryRun: false,
    jobanalyses: analyses.map((analysis) => analysis.resource),
    jobvariables: [],
    monteCarloIterations: null,
    name: name!,
    optimizer: null,
    paramFile: null,
    remoteVizConfig: null,
    resourceFilters: [],
  };
  return { resource, spec: { ...analyses[0]!.spec!, name: name!, isLowPriority } };
}
