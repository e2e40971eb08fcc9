import { isCollection, isScalar, LineCounter, parseAllDocuments, visit, type Document, type Node as YamlNode, type YAMLError } from 'yaml';
import type { Finding, Severity } from '../backend/finding.js';

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
  MULTILINE_IMPLICIT_KEY: "a key must fit on one line; is a ':' missing after the key above, or a quote left open?",
  MISSING_CHAR: "each line needs 'key: value' with a space after ':', and the lines of a block (|) must be indented under their key",
};

const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2', merge: true } as const;

/** Parse YAML text that must hold exactly one document; syntax problems become findings with positions. */
export function parseYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
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
      rule: 'yaml-syntax', severity: 'error', file, ...position(second.range[0]),
      message: `a job file holds one YAML document; a second one starts here`,
      hint: "remove the '---' line, or split the jobs into files of their own",
    });
  }
  for (const document of documents.slice(0, 1)) {
    for (const error of document.errors) findings.push(toFinding(error, 'error', document, text, file, position));
    for (const warning of document.warnings) findings.push(toFinding(warning, 'warning', document, text, file, position));
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
      rule: 'duplicate-key', severity, file, ...position(error.pos[0]),
      message: `duplicate key ${key}: it is already set above in the same mapping`,
      hint: 'keep one of the two; YAML would silently use only one of them',
    };
  }
  const opener = /Missing closing ["']quote|Flow (sequence|mapping)/.test(firstLine) ? openerBefore(document, error.pos[0]) : undefined;
  const hint = opener !== undefined
    ? 'it is opened here and never closed'
    : HINTS[error.code];
  return {
    rule: 'yaml-syntax', severity, file, ...position(opener ?? error.pos[0]),
    message: `YAML: ${firstLine.replace(/ at line \d+, column \d+.*$/, '')}`,
    ...(hint ? { hint } : {}),
  };
}

/**
 * Where an unclosed quote or bracket was opened: the yaml library reports these at the end of the file, but the
 * mistake is at the opening quote or bracket, so point there.
 */
function openerBefore(document: Document.Parsed, offset: number): number | undefined {
  let best: number | undefined;
  visit(document, (_key, node) => {
    const range = (node as YamlNode).range;
    if (!range || range[0] >= offset) return;
    const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    const flow = isCollection(node) && node.flow === true;
    if ((quoted || flow) && range[1] >= offset - 1 && (best === undefined || range[0] > best)) best = range[0];
  });
  return best;
}

/** The position of a node, or undefined for nodes without a place in the file (defaults). */
export function nodePosition(node: YamlNode | null | undefined, lineCounter: LineCounter): Position | undefined {
  if (!node || !node.range) return undefined;
  const { line, col } = lineCounter.linePos(node.range[0]);
  return { line, column: col };
}

