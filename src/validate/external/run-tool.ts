import { execFile } from 'node:child_process';

export interface ToolResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the tool is not installed. */
  readonly missing: boolean;
}

/** Run a checker (bash, python3, shellcheck) with text on stdin; never throws. */
export function runTool(
  command: string,
  args: readonly string[],
  input: string,
  timeoutMs = 10_000,
): Promise<ToolResult> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        // execFile reports a non-zero exit as an error whose code is the exit status, a missing program as ENOENT.
        const reason = (error as { code?: unknown } | null)?.code;
        resolve({
          code: error ? (typeof reason === 'number' ? reason : null) : 0,
          stdout,
          stderr,
          missing: reason === 'ENOENT',
        });
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}
