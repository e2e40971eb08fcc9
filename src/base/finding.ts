/** How bad a finding is: `error` stops a launch, `warning` is risky but sometimes intended, `info` is advice. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One thing dlrun found wrong or risky in a job, pointing at the exact place.
 * The same shape serves the job file loader, the validator rules and shellcheck's findings.
 */
export interface Finding {
  /** Rule id, e.g. `unknown-key`, `yaml-syntax`, `command-typo`. */
  readonly rule: string;
  readonly severity: Severity;
  /** File the finding is in, relative to the folder of job.yaml. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, or null when the finding is about a whole line. */
  readonly column: number | null;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** The replacement the user most likely meant (a did-you-mean), when there is one. */
  readonly suggestion?: string;
  /** How to fix it, when the message alone does not say. */
  readonly hint?: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}

/** Findings in reading order: by file, line, then column. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0),
  );
}

/** Where a field of a job was written, for findings about settings. */
interface FieldPlaces {
  readonly source: {
    readonly file: string;
    readonly positions: Readonly<Record<string, { line: number; column: number }>>;
  };
}

/** A finding about a setting, placed at the field (or, when it was not written, at the top of the file). */
export function findingAt(
  job: FieldPlaces,
  field: string,
  finding: Pick<Finding, 'rule' | 'severity' | 'message'> & Partial<Pick<Finding, 'suggestion' | 'hint'>>,
): Finding {
  const position = job.source.positions[field];
  return { ...finding, file: job.source.file, line: position?.line ?? 1, column: position?.column ?? null };
}
