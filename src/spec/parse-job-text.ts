import path from 'node:path';
import { isMap, isScalar, type LineCounter, type Node as YamlNode } from 'yaml';
import { hasErrors, type Finding } from '../base/finding.js';
import { jobSchema } from './job-schema.js';
import type { JobSpec, ScriptSource } from './job-spec.js';
import { JobParseContext } from './parse-context.js';
import { INVALID } from './schema/schema-type.js';
import { describeNode } from './schema/scalar-types.js';
import { parseYaml } from './yaml-document.js';

export interface JobTextOrigin {
  /** The job file as the user named it (for messages). */
  readonly path: string;
  /** Absolute folder holding the job file. */
  readonly dir: string;
  /** The job file's name relative to `dir`. */
  readonly file: string;
}

export interface JobParseResult {
  /** The job, when the text has no error. */
  readonly job: JobSpec | undefined;
  /** Every problem found, errors and warnings, each with file, line and column. */
  readonly findings: readonly Finding[];
}

/**
 * Parse the text of a job file into a job with every default applied, or findings that say where and what is
 * wrong. Pure: it reads no files, so the same text always gives the same answer.
 */
export function parseJobText(text: string, origin: JobTextOrigin): JobParseResult {
  const { document, lineCounter, findings } = parseYaml(text, origin.file);
  const fail = (extra: Finding[] = []): JobParseResult => ({ job: undefined, findings: [...findings, ...extra] });
  const at = (message: string, hint: string): Finding => ({
    rule: 'invalid-type',
    severity: 'error',
    file: origin.file,
    line: 1,
    column: 1,
    message,
    hint,
  });
  // Only duplicate keys leave a document whose structure can still be trusted; keep checking it to report more.
  if (!document || findings.some((finding) => finding.rule === 'yaml-syntax' && finding.severity === 'error')) {
    return document || findings.length
      ? fail()
      : fail([
          at('the job file is empty', "a job needs at least 'name' and 'run'; 'dlrun init' writes a commented one"),
        ]);
  }
  const root = document.contents as YamlNode | null;
  if (root === null || (isScalar(root) && root.value === null)) {
    return fail([
      at(
        'the job file holds no settings (only comments or blank lines)',
        "a job needs at least 'name' and 'run'; 'dlrun init' writes a commented one",
      ),
    ]);
  }
  if (!isMap(root)) {
    return fail([
      at(
        `a job file is a mapping of settings (name:, run:, ...), but this one holds ${describeNode(root)}`,
        "write one 'key: value' per line, starting with 'name:'",
      ),
    ]);
  }
  const context = new JobParseContext(document, lineCounter, origin.file);
  const parsed = jobSchema.parse(root, [], context);
  const all = [...findings, ...context.findings];
  if (parsed === INVALID || hasErrors(all)) return { job: undefined, findings: all };

  const outputsProblem = checkOutputs(parsed.outputs);
  if (outputsProblem) {
    const position = context.positions.outputs ?? { line: 1, column: 1 };
    return {
      job: undefined,
      findings: [
        ...all,
        {
          rule: 'invalid-value',
          severity: 'error',
          file: origin.file,
          ...position,
          message: `outputs: ${outputsProblem}`,
        },
      ],
    };
  }
  const job: JobSpec = {
    ...parsed,
    outputs: normaliseFolder(parsed.outputs),
    workdir: path.resolve(origin.dir, parsed.workdir ?? '.'),
    source: {
      ...origin,
      positions: context.positions,
      scripts: scriptSources(context.nodes, lineCounter, text),
    },
  };
  return { job, findings: all };
}

/** Outputs are collected from a folder under the workdir; anything else could not be shipped back. */
function checkOutputs(outputs: string): string | undefined {
  if (path.isAbsolute(outputs) || /^[A-Za-z]:[\\/]/.test(outputs))
    return `'${outputs}' is an absolute path; give a folder under the workdir, like outputs/`;
  const normal = path.posix.normalize(outputs.replaceAll('\\', '/'));
  // A Windows path (`\\results`) is absolute only once its backslashes are slashes.
  if (path.posix.isAbsolute(normal))
    return `'${outputs}' is an absolute path; give a folder under the workdir, like outputs/`;
  if (normal === '.' || normal === './')
    return `'${outputs}' is the workdir itself; give a folder under it, like outputs/`;
  if (normal.startsWith('../') || normal === '..')
    return `'${outputs}' is outside the workdir; give a folder under it, like outputs/`;
  return undefined;
}

function normaliseFolder(folder: string): string {
  return path.posix.normalize(folder.replaceAll('\\', '/')).replace(/\/+$/, '');
}

function scriptSources(
  nodes: ReadonlyMap<string, YamlNode>,
  lineCounter: LineCounter,
  text: string,
): JobSpec['source']['scripts'] {
  const scripts: { setup?: ScriptSource; run?: ScriptSource } = {};
  for (const name of ['setup', 'run'] as const) {
    const node = nodes.get(name);
    if (isScalar(node) && node.range)
      scripts[name] = withWrittenLines(
        scriptSource(node.range[0], node.type, String(node.value), lineCounter, text),
        node.type,
        lineCounter.linePos(node.range[1]).line,
        text,
      );
  }
  return scripts;
}

/** The lines of a folded script as written (the rules see where YAML joined lines); literal blocks need none. */
function withWrittenLines(source: ScriptSource, type: string | undefined, endLine: number, text: string): ScriptSource {
  const style =
    type === 'BLOCK_FOLDED'
      ? 'folded'
      : type === 'PLAIN'
        ? 'plain'
        : type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE'
          ? 'quoted'
          : undefined;
  if (!style || endLine <= source.line) return source;
  const lines = text.split(/\r?\n/).slice(source.line - 1, endLine);
  return { ...source, written: { style, lines } };
}

function scriptSource(
  offset: number,
  type: string | undefined,
  value: string,
  lineCounter: LineCounter,
  text: string,
): ScriptSource {
  const { line, col } = lineCounter.linePos(offset);
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    // The script starts on the line after the `|` header, indented like its first non-blank line.
    const lines = text.split(/\r?\n/);
    const first = lines.slice(line).find((candidate) => candidate.trim() !== '') ?? '';
    const indent = first.length - first.trimStart().length;
    return { line: line + 1, column: indent + 1, exact: type === 'BLOCK_LITERAL' };
  }
  const quoted = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE';
  return { line, column: col + (quoted ? 1 : 0), exact: !value.includes('\n') };
}
