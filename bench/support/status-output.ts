/** The jobs' states in `dlrun status --json`'s output, so a benchmark checks what it timed. */
export function jsonStates(stdout: string): string[] {
  return (JSON.parse(stdout) as { jobs: { state: string }[] }).jobs.map((job) => job.state);
}

/** The jobs `dlrun status` listed: a header line, one line per job, then the line with the total of the jobs shown. */
export function tableRows(stdout: string): number {
  const lines = stdout.trimEnd().split('\n');
  return lines.length - (lines.at(-1)?.startsWith('total of the') ? 2 : 1);
}

/** A check of `dlrun status`'s table: it must list `count` jobs. */
export function expectTableRows(count: number): (stdout: string) => void {
  return (stdout) => {
    const rows = tableRows(stdout);
    if (rows !== count) throw new Error(`status listed ${rows} jobs, expected ${count}`);
  };
}
