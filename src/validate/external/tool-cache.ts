import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTool, type ToolResult } from './run-tool.js';

/** Entries kept; past this the oldest go. A check's result is a few hundred bytes. */
const MAX_ENTRIES = 2_000;

/**
 * Results of the external checkers (bash -n, python3's compiler, shellcheck), kept by what was checked: the tool
 * (its path, size and date, so an upgrade starts afresh), its arguments and its input. Validating a job again after
 * editing one line then starts no process for the scripts that did not change. Any failure to read or write the
 * cache only means the tool runs.
 */
export class ToolCache {
  constructor(
    private readonly folder: string | undefined,
    private readonly searchPath: string,
  ) {}

  async run(command: string, args: readonly string[], input: string): Promise<ToolResult> {
    const tool = this.locate(command);
    if (!tool) return { code: null, stdout: '', stderr: '', missing: true };
    const key = createHash('sha256')
      .update(JSON.stringify([tool, args, input]))
      .digest('hex');
    const file = this.folder ? path.join(this.folder, `${key}.json`) : undefined;
    if (file) {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as ToolResult;
      } catch {
        // Not cached yet.
      }
    }
    const result = await runTool(command, args, input);
    if (file && !result.missing && result.code !== null) this.store(file, result);
    return result;
  }

  /** The tool's file on PATH with its size and date, or undefined when it is not installed. */
  private locate(command: string): string | undefined {
    for (const folder of this.searchPath.split(path.delimiter)) {
      if (!folder) continue;
      try {
        const stats = statSync(path.join(folder, command));
        if (stats.isFile()) return `${path.join(folder, command)}:${stats.size}:${stats.mtimeMs}`;
      } catch {
        // Not in this folder.
      }
    }
    return undefined;
  }

  private store(file: string, result: ToolResult): void {
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, JSON.stringify(result), { mode: 0o600 });
      const entries = readdirSync(path.dirname(file));
      if (entries.length > MAX_ENTRIES) {
        const oldest = entries
          .map((name) => ({ name, time: statSync(path.join(path.dirname(file), name)).mtimeMs }))
          .sort((a, b) => a.time - b.time);
        for (const entry of oldest.slice(0, entries.length - MAX_ENTRIES))
          rmSync(path.join(path.dirname(file), entry.name), { force: true });
      }
    } catch {
      // A cache that cannot be written is no cache.
    }
  }
}
