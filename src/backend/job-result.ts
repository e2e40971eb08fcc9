/**
 * What node 0 of a job uploads when the job has ended (the bootstraps in templates/bootstrap write it): `name=value`
 * lines of state, exit_code, reason and ended_at.
 */
export interface JobResult {
  readonly exitCode: number | undefined;
  readonly reason: string | undefined;
  readonly endedAt: string | undefined;
  /** The `state` line as written (succeeded, failed, timed_out, cancelled), or undefined when there is none. */
  readonly state: string | undefined;
  /** True when the job was stopped at its limit (max_runtime, or max_cost at the hourly price). */
  readonly limitReached: boolean;
}

export function parseResult(text: string): JobResult {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)=(.*)$/.exec(line.trim());
    if (match) fields.set(match[1]!, match[2]!);
  }
  const exit = fields.get('exit_code');
  const reason = fields.get('reason');
  const state = fields.get('state');
  const endedAt = fields.get('ended_at');
  // Written by the machine: an exit code that is not one, or an end that is not a time, is not believed.
  return {
    exitCode: exit !== undefined && /^\d{1,3}$/.test(exit) ? Number(exit) : undefined,
    reason,
    endedAt: endedAt !== undefined && Number.isFinite(Date.parse(endedAt)) ? endedAt : undefined,
    state,
    limitReached: state === 'timed_out',
  };
}
