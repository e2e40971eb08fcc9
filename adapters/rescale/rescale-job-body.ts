import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import { rescaleJobDescription, rescaleJobName } from './rescale-details.js';

/*
 * The body of `POST /api/v2/jobs/` (providers.md 5.2 [V]): one job with one analysis, built offline so that
 * `submit --dry-run` shows exactly what `submit` sends. Field names are Rescale's.
 */

/** Rescale's bring-your-own-script analysis: no licensed software, our command on the core type's image [V/S]. */
const USER_INCLUDED = { code: 'user_included', version: '0' } as const;

export interface RescaleHardware {
  readonly coreType: string;
  readonly coresPerSlot: number;
  readonly slots: number;
  /** Whole hours [S]: Rescale stops the job when it is reached. Absent for no limit of dlrun's. */
  readonly walltime?: number;
}

export interface RescaleJobAnalysis {
  readonly analysis: { readonly code: string; readonly version: string };
  readonly command: string;
  readonly hardware: RescaleHardware;
  readonly inputFiles: readonly { readonly id: string }[];
  /** Variables of the job's environment, an object of names and values [S]. */
  readonly envVars: Readonly<Record<string, string>>;
}

export interface RescaleJobBody {
  readonly name: string;
  readonly description: string;
  readonly isLowPriority: boolean;
  readonly jobanalyses: readonly RescaleJobAnalysis[];
}

export interface RescaleJobInput {
  readonly jobId: JobId;
  readonly ledgerId: LedgerId;
  readonly command: string;
  readonly hardware: Omit<RescaleHardware, 'walltime'>;
  readonly walltimeHours: number | null;
  readonly lowPriority: boolean;
  /** The id of the workdir's archive as an uploaded file. */
  readonly inputFileId: string;
  readonly envVars: Readonly<Record<string, string>>;
}

export function rescaleJobBody(input: RescaleJobInput): RescaleJobBody {
  return {
    name: rescaleJobName(input.jobId),
    description: rescaleJobDescription(input.jobId, input.ledgerId),
    isLowPriority: input.lowPriority,
    jobanalyses: [
      {
        analysis: { ...USER_INCLUDED },
        command: input.command,
        hardware: {
          ...input.hardware,
          ...(input.walltimeHours !== null ? { walltime: input.walltimeHours } : {}),
        },
        inputFiles: [{ id: input.inputFileId }],
        envVars: { ...input.envVars },
      },
    ],
  };
}

/** The walltime for a limit in seconds: whole hours, rounded up so the job never gets less than its limit [S]. */
export function walltimeHoursOf(seconds: number | null): number | null {
  return seconds === null ? null : Math.max(1, Math.ceil(seconds / 3600));
}
