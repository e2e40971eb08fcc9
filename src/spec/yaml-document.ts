import {
  isCollection,
  isPair,
  isScalar,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Node as YamlNode,
  type YAMLError,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Finding, Severity } from '../base/finding.js';

/** One YAML document with what is needed to point at its lines. */
export interface YamlSource {
  readonly document: Document.Parsed | undefined;
  readonly lineCounter: LineCounter;
  readonly findings: Finding[];
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Hints for the YAML mistakes people make in job files, keyed by the yaml library's error codes. */
const HINTS: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'YAML does not allow tabs for indentation; indent with spaces',
  BAD_INDENT: 'keys of one mapping must start at the same column; check the indentation of this line and the one above',
  BLOCK_AS_IMPLICIT_KEY: "a value that contains ': ' must be quoted, or written as a block (run: |) on the lines below",
  MULTILINE_IMPLICIT_KEY:
    "a key must fit on one line; is a space missing after ':' (key: value), " +
    "a ':' missing after the key above, or a quote left open?",
  MISSING_CHAR:
    "each line needs 'key: value' with a space after ':', " +
    'and the lines of a block (|) must be indented under their key',
};

/** Past this many syntax errors the rest are consequences of the first ones (as MAX_PROBLEMS for the schema). */
const MAX_YAML_FINDINGS = 50;

const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2', merge: true } as const;

/** Parse YAML text that must hold exactly one document; syntax problems become findings with positions. */
export function parseYaml(text: string, file: string): YamlSource {
  // Lines counted from the text itself: the parser reports only the line breaks it understood, so past a syntax
  // error its count would put later lines on earlier ones.
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1))
    lineCounter.addNewLine(index + 1);
  const parsed = parseAllDocuments(text, YAML_OPTIONS);
  const documents = Array.isArray(parsed) ? parsed : [];
  const findings: Finding[] = [];
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const document = documents[0];
  if (documents.length > 1) {
    const second = documents[1]!;
    findings.push({
      rule: 'yaml-syntax',
      severity: 'error',
      file,
      ...position(second.range[0]),
      message: `a job file holds one YAML document; a second one starts here`,
      hint: "remove the '---' line, or split the jobs into files of their own",
    });
  }
  for (const document of documents.slice(0, 1)) {
    const problems = [
      ...document.errors.map((error) => ['error', error] as const),
      ...document.warnings.map((warning) => ['warning', warning] as const),
    ];
    const seen = new Set<string>();
    // Deep nesting makes the yaml library repeat one error for every level; the user needs it once.
    for (const [severity, problem] of problems.slice(0, MAX_YAML_FINDINGS)) {
      const finding = toFinding(problem, severity, document, text, file, position);
      const key = `${finding.line}:${finding.column}:${finding.message}`;
      if (!seen.has(key)) findings.push(finding);
      seen.add(key);
    }
  }
  return { document, lineCounter, findings };
}

function toFinding(
  error: YAMLError,
  severity: Severity,
  document: Document.Parsed,
  text: string,
  file: string,
  position: (offset: number) => Position,
): Finding {
  const firstLine = error.message.split('\n')[0] ?? error.message;
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^[^\s:]+|^"[^"]*"|^'[^']*'/.exec(text.slice(error.pos[0]))?.[0] ?? 'this key';
    return {
      rule: 'duplicate-key',
      severity,
      file,
      ...position(error.pos[0]),
      message: `duplicate key ${key}: it is already set above in the same mapping`,
      hint: 'keep one of the two; YAML would silently use only one of them',
    };
  }
  if (error.code === 'RESOURCE_EXHAUSTION') {
    return {
      rule: 'yaml-syntax',
      severity,
      file,
      ...position(error.pos[0]),
      message: 'YAML: the file is nested too deeply to read',
      hint: 'a job file needs only a few levels of nesting; is this the right file?',
    };
  }
  const quote = /Missing closing ["']quote/.test(firstLine);
  const opener =
    quote || /Flow (sequence|map)/.test(firstLine) ? openerBefore(document, text, error.pos[0], quote) : undefined;
  const hint = opener !== undefined ? 'it is opened here and never closed' : HINTS[error.code];
  // The library points a badly indented line at its first column; the key that is out of place starts later.
  const start =
    error.code === 'BAD_INDENT'
      ? error.pos[0] + (/^ */.exec(text.slice(error.pos[0], error.pos[0] + 1024))?.[0].length ?? 0)
      : error.pos[0];
  return {
    rule: 'yaml-syntax',
    severity,
    file,
    ...position(opener ?? start),
    message: `YAML: ${firstLine.replace(/ at line \d+, column \d+.*$/, '')}`,
    ...(hint ? { hint } : {}),
  };
}

/**
 * Where an unclosed quote or bracket was opened: the yaml library reports these at the end of the file, but the
 * mistake is at the opening quote or bracket, so point there.
 */
function openerBefore(document: Document.Parsed, text: string, offset: number, quote: boolean): number | undefined {
  let best: number | undefined;
  visit(document, (_key, node) => {
    const range = (node as YamlNode | null)?.range;
    if (!range || range[0] >= offset) return;
    const quoted = quote && isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    const flow = !quote && isCollection(node) && node.flow === true && !isClosed(node, text);
    if ((quoted || flow) && range[1] >= offset - 1 && (best === undefined || range[0] > best)) best = range[0];
  });
  return best;
}

/**
 * Whether a flow collection ends with its own closing bracket. A collection nested in an unclosed one ends near
 * the same offset, and an unclosed one can end on its last item's bracket: that one is not its own.
 */
function isClosed(collection: YAMLMap | YAMLSeq, text: string): boolean {
  const range = collection.range;
  if (!range) return true;
  const closing = text[range[0]] === '[' ? ']' : text[range[0]] === '{' ? '}' : undefined;
  if (closing === undefined) return true;
  const last = collection.items.at(-1);
  const lastNode = (isPair(last) ? (last.value ?? last.key) : last) as YamlNode | null | undefined;
  return text[range[1] - 1] === closing && lastNode?.range?.[1] !== range[1];
}

/** The position of a node, or undefined for nodes without a place in the file (defaults). */
export function nodePosition(node: YamlNode | null | undefined, lineCounter: LineCounter): Position | undefined {
  if (!node?.range) return undefined;
  const { line, col } = lineCounter.linePos(node.range[0]);
  return { line, column: col };
}
