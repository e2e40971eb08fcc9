import path from 'node:path';
import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { inputPaths } from '../input-paths.js';
import { scriptFinding } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import { MAX_SCRIPT_BYTES } from '../collect-scripts.js';
import { normalise, type WorkdirView } from '../workdir-view.js';
import type { ToolCache } from './tool-cache.js';

/** Compiles every file it is given and reports the first syntax error of each, as JSON lines. */
const COMPILER = `
import json, sys
for item in json.load(sys.stdin):
    try:
        source = item["text"].encode()
        compile(source, item["name"], "exec", dont_inherit=True)
    except SyntaxError as error:
        print(json.dumps({"id": item["id"], "line": error.lineno, "column": error.offset, "message": error.msg}))
    except (OSError, ValueError) as error:
        print(json.dumps({"id": item["id"], "line": 1, "column": None, "message": str(error)}))
`;

interface Entry {
  readonly id: number;
  /** The script, relative to the workdir, when it is a file. */
  readonly path: string | null;
  readonly text: string | null;
  readonly name: string;
  readonly report: (line: number, column: number | null, message: string) => Finding;
}

/**
 * The job's Python entry scripts (`python train.py`, `torchrun train.py`, `python - <<EOF` heredocs), compiled by
 * this machine's python3, so a syntax error is found before the machine starts. Says so when python3 is missing.
 */
export async function pythonSyntax(
  scripts: readonly ScriptInput[],
  workdir: WorkdirView,
  jobDir: string,
  tools: ToolCache,
): Promise<Finding[]> {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  for (const script of scripts) {
    // The folder the script is in: a literal `cd` outside conditions moves it; after any other cd it is unknown.
    let directory: string | undefined = script.directory;
    for (const command of script.parsed.commands) {
      const effective = effectiveCommand(command);
      if (effective?.name === 'cd' && !command.nested) {
        const target = effective.args[0]?.literal;
        directory =
          directory === undefined || target === undefined || /^[/~$-]/.test(target)
            ? undefined
            : normalise(path.posix.join(directory, target));
      }
      const files = inputPaths(command)
        .filter((input) => input.kind === 'script' && input.path.endsWith('.py'))
        .map((input) => input.path);
      // `python -m trainer.task` runs trainer/task.py (or trainer/task/__main__.py) from the folder it is in.
      const moduleIndex =
        effective && /^python(3(\.\d+)?)?$/.test(effective.name)
          ? effective.args.findIndex((arg) => arg.literal === '-m')
          : -1;
      const module = moduleIndex === -1 ? undefined : effective!.args[moduleIndex + 1]?.literal;
      if (module) files.push(`${module.replace(/\./g, '/')}.py`, `${module.replace(/\./g, '/')}/__main__.py`);
      for (const input of files) {
        const relative = directory === undefined ? undefined : normalise(path.posix.join(directory, input));
        if (
          relative === undefined ||
          seen.has(relative) ||
          workdir.state(relative) !== 'shipped' ||
          workdir.isFolder(relative)
        )
          continue;
        seen.add(relative);
        const absolute = workdir.absolute(relative)!;
        const file = path.relative(jobDir, absolute);
        entries.push({
          id: entries.length,
          path: relative,
          text: null,
          name: file,
          report: (line, column, message) => ({
            rule: 'python-syntax',
            severity: 'error',
            file,
            line,
            column,
            message: `Python: ${message}`,
          }),
        });
      }
      const heredoc = command.redirects.find((redirect) => redirect.heredoc)?.heredoc;
      if (heredoc && effective && /^python(3(\.\d+)?)?$/.test(effective.name) && heredoc.quoted) {
        entries.push({
          id: entries.length,
          path: null,
          text: heredoc.body,
          name: `${script.file} (heredoc)`,
          report: (line, column, message) =>
            scriptFinding(
              script,
              { line: heredoc.bodyStart.line + line - 1, column: column ?? 1 },
              { rule: 'python-syntax', severity: 'error', message: `Python: ${message}` },
            ),
        });
      }
    }
  }
  if (entries.length === 0) return [];
  // The texts themselves go to python3, so that a cached result is only reused for the very same code.
  // A file that is too large or not a regular file is not compiled (the validator notes the second kind).
  const payload = entries.flatMap(({ id, path: file, text, name }) => {
    if (text !== null) return [{ id, text, name }];
    const read = workdir.read(file!, { maxBytes: MAX_SCRIPT_BYTES });
    return read.ok ? [{ id, text: read.bytes.toString('utf8'), name }] : [];
  });
  if (payload.length === 0) return [];
  const result = await tools.run('python3', ['-c', COMPILER], JSON.stringify(payload));
  if (result.missing) {
    return [
      {
        rule: 'python-syntax',
        severity: 'info',
        file: entries[0]!.name,
        line: 1,
        column: null,
        message: "python3 is not on this machine's PATH, so the job's Python scripts were not compiled",
      },
    ];
  }
  const findings: Finding[] = [];
  for (const line of result.stdout.split('\n').filter(Boolean)) {
    const reported = JSON.parse(line) as { id: number; line: number | null; column: number | null; message: string };
    findings.push(entries[reported.id]!.report(reported.line ?? 1, reported.column, reported.message));
  }
  return findings;
}
